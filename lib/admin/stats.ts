import { z } from "zod";
import type { AdminPage, Overview, ReceiptsChannelDetail, ReceiptsChannelStat } from "@/lib/contracts/admin";
import { channelIdSchema } from "@/lib/contracts/ids";
import { activityByHour, listChannelStats, mostUnread, recentMessagesForStats, timeToRead, totals } from "@/lib/db/queries/admin-stats";
import { getChannel } from "@/lib/db/queries/channels";
import { countReceipts } from "@/lib/db/queries/receipts";
import { ApiError } from "@/lib/errors";
import type { Deps } from "@/lib/shared/context";
import { cursorPart, decodeCursor, keysetPage } from "./cursor";

export const receiptStatsQuerySchema = z.object({
  channel_id: channelIdSchema.optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

// Read rate over a channel's latest messages: exact counts, bounded work.
const RATE_WINDOW = 200;

async function readRate(ctx: Deps<"db">, channelId: string) {
  const recent = await recentMessagesForStats({ db: ctx.db(), channelId, limit: RATE_WINDOW });
  const counts = await countReceipts({ db: ctx.db(), channelId, items: recent.map((m) => ({ seq: m.messageSeq, fromUid: m.fromUid })) });
  const read = counts.reduce((a, c) => a + c.readCount, 0);
  const eligible = counts.reduce((a, c) => a + c.readCount + c.unreadCount, 0);
  return { recent, counts, read_rate: eligible ? read / eligible : null };
}

/** Per channel: members, messages, read rate; with channel_id, time-to-read, its distribution and who is behind. */
export async function receiptStats(
  ctx: Deps<"db">,
  q: z.infer<typeof receiptStatsQuerySchema>,
): Promise<AdminPage<ReceiptsChannelStat> | ReceiptsChannelDetail> {
  if (q.channel_id) return channelReceiptStats(ctx, q.channel_id);
  const after = decodeCursor(q.cursor, [cursorPart.text]);
  const rows = await listChannelStats({ db: ctx.db(), limit: q.limit, afterId: after?.[0] });
  const { page, next_cursor } = keysetPage(rows, q.limit, (last) => [last.channelId]);
  const items = await Promise.all(
    page.map(async (c) => ({
      channel_id: c.channelId,
      name: c.name,
      channel_type: c.channelType,
      members: c.members,
      messages: c.messages,
      receipts: c.receiptsEnabled,
      read_rate: c.receiptsEnabled ? (await readRate(ctx, c.channelId)).read_rate : null,
    })),
  );
  return { items, next_cursor };
}

async function channelReceiptStats(ctx: Deps<"db">, channelId: string) {
  const channel = await getChannel({ db: ctx.db(), channelId });
  if (!channel) throw new ApiError("channel_not_found", `No channel ${channelId}.`);
  const [{ recent, counts, read_rate }, ttr, behind] = await Promise.all([
    readRate(ctx, channelId),
    timeToRead({ db: ctx.db(), channelId, days: 30 }),
    mostUnread({ db: ctx.db(), channelId, limit: 10 }),
  ]);
  const bySeq = new Map(counts.map((c) => [c.messageSeq, c]));
  const order = ["<10s", "10s–1m", "1–10m", "10m–1h", "1h–1d", ">1d"];
  return {
    channel_id: channelId,
    name: channel.name,
    receipts: channel.receiptsEnabled,
    messages: channel.lastMessageSeq,
    read_rate,
    time_to_read: {
      pairs: ttr.pairs,
      median_seconds: ttr.medianS === null ? null : Number(ttr.medianS),
      p90_seconds: ttr.p90S === null ? null : Number(ttr.p90S),
      distribution: order.map((bucket) => ({ bucket, count: ttr.buckets.find((b) => b.bucket === bucket)?.n ?? 0 })),
    },
    most_unread: behind,
    recent_messages: recent.slice(0, 50).map((m) => ({
      message_id: m.messageId,
      message_seq: m.messageSeq,
      from_uid: m.fromUid,
      sent_at: new Date(m.sentAt).toISOString(),
      read_count: bySeq.get(m.messageSeq)?.readCount ?? 0,
      unread_count: bySeq.get(m.messageSeq)?.unreadCount ?? 0,
    })),
  };
}

export async function overview(ctx: Deps<"db">): Promise<Overview> {
  const [activity, t] = await Promise.all([activityByHour({ db: ctx.db(), hours: 24 }), totals({ db: ctx.db() })]);
  return {
    totals: { users: t.users, channels: t.channels, messages: t.messages, revokes: t.revokes, online_devices: t.onlineDevices },
    activity: activity.map((a) => ({
      hour: new Date(a.hour).toISOString(),
      messages: a.messages,
      revokes: a.revokes,
      reads: a.reads,
      deliveries: a.deliveries,
    })),
  };
}
