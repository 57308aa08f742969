CREATE TABLE "channel_member_intervals" (
	"channel_id" text NOT NULL,
	"uid" text NOT NULL,
	"joined_seq" bigint NOT NULL,
	"left_seq" bigint NOT NULL,
	"read_seq" bigint NOT NULL,
	"read_at" timestamp with time zone,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "channel_member_intervals_channel_id_uid_joined_seq_pk" PRIMARY KEY("channel_id","uid","joined_seq"),
	CONSTRAINT "channel_member_intervals_span_check" CHECK ("channel_member_intervals"."left_seq" > "channel_member_intervals"."joined_seq" and "channel_member_intervals"."read_seq" between "channel_member_intervals"."joined_seq" and "channel_member_intervals"."left_seq")
);
--> statement-breakpoint
ALTER TABLE "channel_member_intervals" ADD CONSTRAINT "channel_member_intervals_channel_id_channels_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("channel_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_member_intervals" ADD CONSTRAINT "channel_member_intervals_uid_users_uid_fk" FOREIGN KEY ("uid") REFERENCES "public"."users"("uid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channel_member_intervals_uid_idx" ON "channel_member_intervals" USING btree ("uid");--> statement-breakpoint
-- Existing channel_members rows are each member's latest interval and stay as
-- they are (earlier intervals were overwritten by rejoins before this table
-- existed and cannot be recovered). Leaving ends every role: members who left
-- before this rule lose theirs, so re-adding them gives `member`.
UPDATE "channel_members" SET "role" = 'member' WHERE "left_seq" IS NOT NULL AND "role" <> 'member';
