-- Samples, partitioned by day (native declarative partitioning; Drizzle cannot declare it).
-- Day partitions metric_samples_YYYYMMDD are created on demand by src/monitoring/store.ts before a
-- day's rows are inserted; the default partition is a safety net and stays empty in normal use.
-- (series_id, ts) is unique so that a retried remote_write request inserts nothing twice.
CREATE TABLE "metric_samples" (
	"series_id" bigint NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	PRIMARY KEY ("series_id", "ts")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
CREATE TABLE "metric_samples_default" PARTITION OF "metric_samples" DEFAULT;
--> statement-breakpoint
-- Every ingest request updates the latest row of each of its series: leave room on each page so
-- those updates stay heap-only (HOT) and touch no index.
ALTER TABLE "facility_metric_latest" SET (fillfactor = 50);
