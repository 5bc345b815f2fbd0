CREATE TABLE "metric_rollup_state" (
	"resolution" text PRIMARY KEY NOT NULL,
	"done_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_rollups_1d" (
	"series_id" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" bigint NOT NULL,
	"last" double precision NOT NULL,
	CONSTRAINT "metric_rollups_1d_series_id_bucket_pk" PRIMARY KEY("series_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "metric_rollups_1h" (
	"series_id" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" bigint NOT NULL,
	"last" double precision NOT NULL,
	CONSTRAINT "metric_rollups_1h_series_id_bucket_pk" PRIMARY KEY("series_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "metric_rollups_5m" (
	"series_id" bigint NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" bigint NOT NULL,
	"last" double precision NOT NULL,
	CONSTRAINT "metric_rollups_5m_series_id_bucket_pk" PRIMARY KEY("series_id","bucket")
);
--> statement-breakpoint
-- The rollup job reads samples by time range across all series: a BRIN index on ts is a few pages
-- per day partition and costs the writers almost nothing (samples arrive in time order).
CREATE INDEX "metric_samples_ts_brin" ON "metric_samples" USING brin ("ts");
