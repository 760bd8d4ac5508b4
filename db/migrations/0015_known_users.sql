CREATE TABLE "known_users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"global_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "known_users_username_idx" ON "known_users" USING btree (lower("username") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "known_users_global_name_idx" ON "known_users" USING btree (lower("global_name") text_pattern_ops) WHERE "known_users"."global_name" is not null;--> statement-breakpoint
CREATE INDEX "cases_guild_activity_idx" ON "cases" USING btree ("guild_id","created_at","action","moderator_id") WHERE "cases"."deleted_at" is null;