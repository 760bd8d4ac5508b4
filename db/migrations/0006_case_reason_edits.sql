ALTER TABLE "cases" ADD COLUMN "reason_edited_by" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "reason_edited_at" timestamp with time zone;