CREATE TABLE "interaction_drafts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"moderator_id" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_reasons" (
	"guild_id" text NOT NULL,
	"name_key" text NOT NULL,
	"name" text NOT NULL,
	"text" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "evidence" jsonb;--> statement-breakpoint
ALTER TABLE "pending_actions" ADD COLUMN "evidence" jsonb;--> statement-breakpoint
CREATE INDEX "interaction_drafts_expires_idx" ON "interaction_drafts" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_reasons_guild_name_key" ON "saved_reasons" USING btree ("guild_id","name_key");--> statement-breakpoint
CREATE INDEX "cases_ended_by_idx" ON "cases" USING btree ("ended_by_case_id") WHERE "cases"."ended_by_case_id" is not null;