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
--> statement-breakpoint
-- A direct conversation has exactly its two people (docs/api.md), but older
-- code let others in (group invites and member adds took any channel id) and
-- let the two leave. Memberships are mended here, before anyone reads them
-- by the new rules. An ended membership ends as leaving does (left at the
-- channel's latest message, role `member`), so what was read stays read.
--
-- A person channel id that is not exactly `a@b` names no one pair: it came
-- from a uid holding `@` (the old exploit: `a` + `b@c` and `a@b` + `c` share
-- `a@b@c`), so which two people it belongs to cannot be told from the data,
-- and whoever is in it may be the intruder. Every membership there ends:
-- nobody keeps reading a conversation that may not be theirs. Its messages
-- stay stored (admin statistics, audit), and since uids can no longer hold
-- `@` no direct-message open ever lands on such an id again.
UPDATE "channel_members" m SET "left_seq" = c."last_message_seq", "role" = 'member'
  FROM "channels" c
 WHERE c."channel_id" = m."channel_id" AND c."channel_type" = 1 AND m."left_seq" IS NULL
   AND array_length(string_to_array(c."channel_id", '@'), 1) <> 2;--> statement-breakpoint
-- A pair's channel `a@b`: anyone but a and b leaves it.
UPDATE "channel_members" m SET "left_seq" = c."last_message_seq", "role" = 'member'
  FROM "channels" c
 WHERE c."channel_id" = m."channel_id" AND c."channel_type" = 1 AND m."left_seq" IS NULL
   AND array_length(string_to_array(c."channel_id", '@'), 1) = 2
   AND m."uid" NOT IN (split_part(c."channel_id", '@', 1), split_part(c."channel_id", '@', 2));--> statement-breakpoint
-- One of the pair who had left comes back, as a rejoin does (upsertMembers):
-- the ended interval is kept with its reads, and the new one starts at the
-- channel's latest message, so the other's messages reach them again from
-- here on (a sent message's audience is fixed when it is sent, so those sent
-- while they were away stay out of theirs).
INSERT INTO "channel_member_intervals" ("channel_id", "uid", "joined_seq", "left_seq", "read_seq", "read_at", "joined_at")
SELECT m."channel_id", m."uid", m."joined_seq", m."left_seq", least(m."last_read_seq", m."left_seq"), m."last_read_at", m."joined_at"
  FROM "channel_members" m JOIN "channels" c ON c."channel_id" = m."channel_id"
 WHERE c."channel_type" = 1 AND m."left_seq" IS NOT NULL AND m."left_seq" > m."joined_seq"
   AND array_length(string_to_array(c."channel_id", '@'), 1) = 2
   AND m."uid" IN (split_part(c."channel_id", '@', 1), split_part(c."channel_id", '@', 2));--> statement-breakpoint
UPDATE "channel_members" m SET "left_seq" = NULL, "role" = 'member', "joined_seq" = c."last_message_seq",
       "last_read_seq" = c."last_message_seq", "last_read_at" = NULL, "joined_at" = now()
  FROM "channels" c
 WHERE c."channel_id" = m."channel_id" AND c."channel_type" = 1 AND m."left_seq" IS NOT NULL
   AND array_length(string_to_array(c."channel_id", '@'), 1) = 2
   AND m."uid" IN (split_part(c."channel_id", '@', 1), split_part(c."channel_id", '@', 2));
