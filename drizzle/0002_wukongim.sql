CREATE TABLE "im_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"channel_id" text NOT NULL,
	"channel_type" smallint NOT NULL,
	"from_uid" text NOT NULL,
	"message_seq" bigint NOT NULL,
	"payload" jsonb,
	"first_event_id" bigint,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "presence" (
	"uid" text NOT NULL,
	"device_flag" smallint NOT NULL,
	"online" boolean NOT NULL,
	"conn_id" text,
	"device_online_count" integer,
	"total_online_count" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "presence_uid_device_flag_pk" PRIMARY KEY("uid","device_flag")
);
--> statement-breakpoint
CREATE TABLE "push_notifications" (
	"message_id" text NOT NULL,
	"uid" text NOT NULL,
	"channel_id" text NOT NULL,
	"kind" text NOT NULL,
	"decision" text NOT NULL,
	"provider" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retracted_at" timestamp with time zone,
	CONSTRAINT "push_notifications_message_id_uid_pk" PRIMARY KEY("message_id","uid")
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"body" text NOT NULL,
	"body_bytes" integer NOT NULL,
	"body_truncated" boolean DEFAULT false NOT NULL,
	"items_total" integer DEFAULT 0 NOT NULL,
	"items_accepted" integer DEFAULT 0 NOT NULL,
	"items_duplicate" integer DEFAULT 0 NOT NULL,
	"items_rejected" integer DEFAULT 0 NOT NULL,
	"chat_count" integer DEFAULT 0 NOT NULL,
	"cmd_count" integer DEFAULT 0 NOT NULL,
	"replay_of" bigint
);
--> statement-breakpoint
CREATE INDEX "im_messages_received_at_idx" ON "im_messages" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "push_notifications_created_at_idx" ON "push_notifications" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "webhook_events_received_at_idx" ON "webhook_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "webhook_events_event_idx" ON "webhook_events" USING btree ("event","received_at");