CREATE TABLE "network_latency" (
	"source" text NOT NULL,
	"target" text NOT NULL,
	"source_kind" text NOT NULL,
	"target_kind" text NOT NULL,
	"rtt_ms" double precision NOT NULL,
	"samples" integer NOT NULL,
	"origin" text NOT NULL,
	"measured_at" timestamp with time zone NOT NULL,
	CONSTRAINT "network_latency_source_target_pk" PRIMARY KEY("source","target")
);
--> statement-breakpoint
CREATE TABLE "alert_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"event" text NOT NULL,
	"url" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"last_status_code" integer,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "alert_instances" (
	"id" text PRIMARY KEY NOT NULL,
	"rule_id" text NOT NULL,
	"facility_id" text NOT NULL,
	"state" text NOT NULL,
	"value" double precision,
	"threshold" double precision,
	"started_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"last_evaluated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"metric" text,
	"comparison" text,
	"threshold" double precision,
	"for_seconds" integer NOT NULL,
	"window_seconds" integer,
	"scope_facility_id" text,
	"scope_region_code" text,
	"severity" text NOT NULL,
	"webhook_url" text,
	"webhook_secret" text NOT NULL,
	"enabled" boolean NOT NULL,
	"owner_org_id" text NOT NULL,
	"created_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "market_demands" (
	"id" text PRIMARY KEY NOT NULL,
	"demander_org_id" text NOT NULL,
	"title" text NOT NULL,
	"resource_kind" text,
	"accelerator_model" text,
	"min_tflops" double precision,
	"precision" text,
	"count" integer NOT NULL,
	"memory_gb" double precision,
	"start_at" timestamp (3) with time zone NOT NULL,
	"end_at" timestamp (3) with time zone NOT NULL,
	"regions_allowed" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_residency" text,
	"latency_from_region_code" text,
	"latency_max_ms" double precision,
	"max_price_per_unit" double precision,
	"weights" jsonb NOT NULL,
	"region_code" text,
	"province_code" text,
	"city_code" text,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "market_demands_count_positive" CHECK ("market_demands"."count" > 0),
	CONSTRAINT "market_demands_window_ordered" CHECK ("market_demands"."end_at" > "market_demands"."start_at")
);
--> statement-breakpoint
CREATE TABLE "market_offers" (
	"id" text PRIMARY KEY NOT NULL,
	"supplier_org_id" text NOT NULL,
	"facility_id" text NOT NULL,
	"region_code" text NOT NULL,
	"province_code" text NOT NULL,
	"city_code" text,
	"product" text,
	"title" text NOT NULL,
	"resource_kind" text NOT NULL,
	"accelerator_model" text,
	"memory_gb" double precision,
	"interconnect" text,
	"quantity_total" integer NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"window_end" timestamp (3) with time zone NOT NULL,
	"price_per_unit" double precision NOT NULL,
	"unit" text NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"min_term_hours" double precision NOT NULL,
	"sla_pct" double precision NOT NULL,
	"certifications" text[] DEFAULT '{}'::text[] NOT NULL,
	"green_power_pct" double precision NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "market_offers_quantity_positive" CHECK ("market_offers"."quantity_total" > 0),
	CONSTRAINT "market_offers_window_ordered" CHECK ("market_offers"."window_end" > "market_offers"."window_start"),
	CONSTRAINT "market_offers_price_non_negative" CHECK ("market_offers"."price_per_unit" >= 0)
);
--> statement-breakpoint
CREATE TABLE "market_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"offer_id" text NOT NULL,
	"demand_id" text,
	"buyer_org_id" text NOT NULL,
	"supplier_org_id" text NOT NULL,
	"facility_id" text NOT NULL,
	"region_code" text NOT NULL,
	"province_code" text NOT NULL,
	"city_code" text,
	"quantity" integer NOT NULL,
	"start_at" timestamp (3) with time zone NOT NULL,
	"end_at" timestamp (3) with time zone NOT NULL,
	"unit_price" double precision NOT NULL,
	"unit" text NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"total_amount" double precision,
	"state" text NOT NULL,
	"quote_expires_at" timestamp (3) with time zone,
	"idempotency_key" text NOT NULL,
	"request_fingerprint" text NOT NULL,
	"reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"reserved_at" timestamp (3) with time zone,
	"activated_at" timestamp (3) with time zone,
	"completed_at" timestamp (3) with time zone,
	"cancelled_at" timestamp (3) with time zone,
	"disputed_at" timestamp (3) with time zone,
	CONSTRAINT "market_orders_quantity_positive" CHECK ("market_orders"."quantity" > 0),
	CONSTRAINT "market_orders_window_ordered" CHECK ("market_orders"."end_at" > "market_orders"."start_at")
);
--> statement-breakpoint
CREATE TABLE "market_ratings" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"supplier_org_id" text NOT NULL,
	"buyer_org_id" text NOT NULL,
	"stars" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "market_ratings_order_id_unique" UNIQUE("order_id"),
	CONSTRAINT "market_ratings_stars_range" CHECK ("market_ratings"."stars" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "market_services" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_org_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"offer_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"price_per_unit" double precision,
	"unit" text,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_settlement_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"period" text NOT NULL,
	"period_start" timestamp (3) with time zone NOT NULL,
	"period_end" timestamp (3) with time zone NOT NULL,
	"quantity" double precision NOT NULL,
	"unit_price" double precision NOT NULL,
	"amount" double precision NOT NULL,
	"basis" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_usage" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"period_start" timestamp (3) with time zone NOT NULL,
	"period_end" timestamp (3) with time zone NOT NULL,
	"quantity" double precision NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "market_usage_quantity_non_negative" CHECK ("market_usage"."quantity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "market_demands" ADD CONSTRAINT "market_demands_demander_org_id_organizations_id_fk" FOREIGN KEY ("demander_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_offers" ADD CONSTRAINT "market_offers_supplier_org_id_organizations_id_fk" FOREIGN KEY ("supplier_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_offers" ADD CONSTRAINT "market_offers_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_orders" ADD CONSTRAINT "market_orders_offer_id_market_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."market_offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_orders" ADD CONSTRAINT "market_orders_demand_id_market_demands_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."market_demands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_orders" ADD CONSTRAINT "market_orders_buyer_org_id_organizations_id_fk" FOREIGN KEY ("buyer_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_ratings" ADD CONSTRAINT "market_ratings_order_id_market_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."market_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_services" ADD CONSTRAINT "market_services_provider_org_id_organizations_id_fk" FOREIGN KEY ("provider_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_settlement_lines" ADD CONSTRAINT "market_settlement_lines_order_id_market_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."market_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_usage" ADD CONSTRAINT "market_usage_order_id_market_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."market_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_deliveries_due_idx" ON "alert_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "alert_deliveries_instance_idx" ON "alert_deliveries" USING btree ("instance_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_instances_open_idx" ON "alert_instances" USING btree ("rule_id","facility_id") WHERE state in ('pending', 'firing');--> statement-breakpoint
CREATE INDEX "alert_instances_started_idx" ON "alert_instances" USING btree ("started_at","id");--> statement-breakpoint
CREATE INDEX "alert_instances_facility_idx" ON "alert_instances" USING btree ("facility_id","started_at");--> statement-breakpoint
CREATE INDEX "alert_instances_rule_idx" ON "alert_instances" USING btree ("rule_id","state");--> statement-breakpoint
CREATE INDEX "alert_rules_owner_idx" ON "alert_rules" USING btree ("owner_org_id","created_at");--> statement-breakpoint
CREATE INDEX "market_demands_org_idx" ON "market_demands" USING btree ("demander_org_id","created_at");--> statement-breakpoint
CREATE INDEX "market_demands_status_idx" ON "market_demands" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "market_offers_status_idx" ON "market_offers" USING btree ("status","window_end");--> statement-breakpoint
CREATE INDEX "market_offers_supplier_idx" ON "market_offers" USING btree ("supplier_org_id","created_at");--> statement-breakpoint
CREATE INDEX "market_offers_facility_idx" ON "market_offers" USING btree ("facility_id");--> statement-breakpoint
CREATE INDEX "market_offers_province_idx" ON "market_offers" USING btree ("province_code");--> statement-breakpoint
CREATE UNIQUE INDEX "market_orders_idempotency_idx" ON "market_orders" USING btree ("buyer_org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "market_orders_offer_state_idx" ON "market_orders" USING btree ("offer_id","state");--> statement-breakpoint
CREATE INDEX "market_orders_buyer_idx" ON "market_orders" USING btree ("buyer_org_id","created_at");--> statement-breakpoint
CREATE INDEX "market_orders_supplier_idx" ON "market_orders" USING btree ("supplier_org_id","created_at");--> statement-breakpoint
CREATE INDEX "market_orders_province_idx" ON "market_orders" USING btree ("province_code","created_at");--> statement-breakpoint
CREATE INDEX "market_ratings_supplier_idx" ON "market_ratings" USING btree ("supplier_org_id");--> statement-breakpoint
CREATE INDEX "market_services_provider_idx" ON "market_services" USING btree ("provider_org_id");--> statement-breakpoint
CREATE INDEX "market_services_kind_idx" ON "market_services" USING btree ("kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "market_settlement_order_period_idx" ON "market_settlement_lines" USING btree ("order_id","period_start");--> statement-breakpoint
CREATE INDEX "market_usage_order_idx" ON "market_usage" USING btree ("order_id","period_start");--> statement-breakpoint
CREATE INDEX "metric_rollups_1d_bucket_idx" ON "metric_rollups_1d" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "metric_rollups_1h_bucket_idx" ON "metric_rollups_1h" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "metric_rollups_5m_bucket_idx" ON "metric_rollups_5m" USING btree ("bucket");