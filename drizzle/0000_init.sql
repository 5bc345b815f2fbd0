CREATE TABLE "access_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "access_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"market_roles" text[] DEFAULT '{}' NOT NULL,
	"jurisdiction_code" text,
	"region_code" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "organizations_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"org_id" text NOT NULL,
	"is_admin" boolean DEFAULT false NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"version" integer,
	"action" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"org_id" text,
	"request_id" text,
	"related_id" text,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compute_id_counters" (
	"region_code" text PRIMARY KEY NOT NULL,
	"last_value" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"id" text PRIMARY KEY NOT NULL,
	"compute_id" text NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"province_code" text NOT NULL,
	"city_code" text,
	"address" text DEFAULT '' NOT NULL,
	"lon" double precision,
	"lat" double precision,
	"status" text NOT NULL,
	"kind" text NOT NULL,
	"owner_org_id" text NOT NULL,
	"racks_designed" integer NOT NULL,
	"racks_in_use" integer NOT NULL,
	"rack_utilization" double precision GENERATED ALWAYS AS (case when racks_designed > 0 then racks_in_use::double precision / racks_designed end) STORED,
	"fp64" double precision DEFAULT 0 NOT NULL,
	"fp32" double precision DEFAULT 0 NOT NULL,
	"fp16" double precision DEFAULT 0 NOT NULL,
	"int8" double precision DEFAULT 0 NOT NULL,
	"fp32_equivalent" double precision GENERATED ALWAYS AS (greatest(fp64 * 2, fp32, fp16 * 0.5, int8 * 0.25)) STORED,
	"compute_declared" jsonb DEFAULT '{"fp64":0,"fp32":0,"fp16":0,"int8":0}'::jsonb NOT NULL,
	"accelerators" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"storage_pb" double precision DEFAULT 0 NOT NULL,
	"advanced_storage_pct" double precision DEFAULT 0 NOT NULL,
	"egress_gbps" double precision DEFAULT 0 NOT NULL,
	"pue_design" double precision,
	"pue_measured" double precision,
	"annual_kwh" double precision DEFAULT 0 NOT NULL,
	"green_power_pct" double precision DEFAULT 0 NOT NULL,
	"contacts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "facilities_compute_id_unique" UNIQUE("compute_id")
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"facility_id" text,
	"org_id" text NOT NULL,
	"region_code" text NOT NULL,
	"province_code" text NOT NULL,
	"city_code" text,
	"data" jsonb NOT NULL,
	"base_version" integer,
	"reason" text,
	"created_by" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_tokens_user_idx" ON "access_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "change_log_object_idx" ON "change_log" USING btree ("object_type","object_id","id");--> statement-breakpoint
CREATE INDEX "facilities_province_idx" ON "facilities" USING btree ("province_code","id");--> statement-breakpoint
CREATE INDEX "facilities_city_idx" ON "facilities" USING btree ("city_code","id");--> statement-breakpoint
CREATE INDEX "facilities_region_idx" ON "facilities" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "facilities_owner_idx" ON "facilities" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "facilities_name_idx" ON "facilities" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "facilities_updated_idx" ON "facilities" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "registrations_status_province_idx" ON "registrations" USING btree ("status","province_code");--> statement-breakpoint
CREATE INDEX "registrations_org_idx" ON "registrations" USING btree ("org_id");