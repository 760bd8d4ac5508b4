CREATE TABLE "seen_interactions" (
	"interaction_id" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "seen_interactions_seen_idx" ON "seen_interactions" USING btree ("seen_at");