CREATE TABLE "channel_members" (
	"channel_id" text NOT NULL,
	"uid" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"joined_seq" bigint NOT NULL,
	"left_seq" bigint,
	"last_read_seq" bigint NOT NULL,
	"last_read_at" timestamp with time zone,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_members_channel_id_uid_pk" PRIMARY KEY("channel_id","uid")
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"channel_type" smallint NOT NULL,
	"name" text NOT NULL,
	"receipts_enabled" boolean DEFAULT true NOT NULL,
	"last_message_seq" bigint DEFAULT 0 NOT NULL,
	"change_version" bigint DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channels_type_check" CHECK ("channels"."channel_type" between 1 and 255)
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"channel_id" text NOT NULL,
	"message_seq" bigint NOT NULL,
	"message_id" text NOT NULL,
	"client_msg_no" text NOT NULL,
	"from_uid" text NOT NULL,
	"channel_type" smallint NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"payload" jsonb,
	"source" text DEFAULT 'local' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_channel_id_message_seq_pk" PRIMARY KEY("channel_id","message_seq"),
	CONSTRAINT "messages_message_id_check" CHECK ("messages"."message_id" ~ '^[0-9]{1,20}$')
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"destination" text NOT NULL,
	"topic" text NOT NULL,
	"channel_id" text,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "read_events" (
	"channel_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"uid" text NOT NULL,
	"from_seq" bigint NOT NULL,
	"to_seq" bigint NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "read_events_channel_id_id_pk" PRIMARY KEY("channel_id","id")
);
--> statement-breakpoint
CREATE TABLE "revocations" (
	"channel_id" text NOT NULL,
	"message_seq" bigint NOT NULL,
	"message_id" text NOT NULL,
	"sender_uid" text NOT NULL,
	"revoked_by" text NOT NULL,
	"rule" text NOT NULL,
	"reason" text,
	"sent_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" bigint NOT NULL,
	CONSTRAINT "revocations_channel_id_message_seq_pk" PRIMARY KEY("channel_id","message_seq")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"uid" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'user' NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_members" ADD CONSTRAINT "channel_members_channel_id_channels_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("channel_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_members" ADD CONSTRAINT "channel_members_uid_users_uid_fk" FOREIGN KEY ("uid") REFERENCES "public"."users"("uid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_created_by_users_uid_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("uid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_channel_id_channels_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("channel_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocations" ADD CONSTRAINT "revocations_revoked_by_users_uid_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("uid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channel_members_uid_idx" ON "channel_members" USING btree ("uid");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_client_msg_no_uq" ON "messages" USING btree ("channel_id","from_uid","client_msg_no");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_message_id_uq" ON "messages" USING btree ("channel_id","message_id");--> statement-breakpoint
CREATE INDEX "messages_message_id_idx" ON "messages" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "messages_from_uid_idx" ON "messages" USING btree ("from_uid");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."delivered_at" is null;--> statement-breakpoint
CREATE INDEX "read_events_reader_idx" ON "read_events" USING btree ("channel_id","uid","to_seq");--> statement-breakpoint
CREATE INDEX "read_events_read_at_idx" ON "read_events" USING btree ("read_at");--> statement-breakpoint
CREATE UNIQUE INDEX "revocations_version_uq" ON "revocations" USING btree ("channel_id","version");--> statement-breakpoint
CREATE INDEX "revocations_revoked_at_idx" ON "revocations" USING btree ("revoked_at");--> statement-breakpoint
CREATE INDEX "revocations_message_id_idx" ON "revocations" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "revocations_revoked_by_idx" ON "revocations" USING btree ("revoked_by");