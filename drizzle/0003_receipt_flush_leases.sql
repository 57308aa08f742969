CREATE TABLE "receipt_flush_leases" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"flushed_at" timestamp with time zone NOT NULL
);
