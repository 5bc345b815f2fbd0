CREATE TABLE "facility_metric_latest" (
	"series_id" bigint PRIMARY KEY NOT NULL,
	"facility_id" text NOT NULL,
	"metric" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"facility_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"name" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "metric_series" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"facility_id" text NOT NULL,
	"metric" text NOT NULL,
	"labels" jsonb NOT NULL,
	"labels_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "facility_metric_latest_facility_idx" ON "facility_metric_latest" USING btree ("facility_id","metric");--> statement-breakpoint
CREATE UNIQUE INDEX "ingest_tokens_hash_idx" ON "ingest_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "ingest_tokens_facility_idx" ON "ingest_tokens" USING btree ("facility_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "metric_series_key_idx" ON "metric_series" USING btree ("facility_id","labels_hash");--> statement-breakpoint
CREATE INDEX "metric_series_metric_idx" ON "metric_series" USING btree ("facility_id","metric");