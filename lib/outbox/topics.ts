import { z } from "zod";
import type { MessageRevokedEvent } from "@/lib/contracts/chat";
import { PAYLOAD_TYPE } from "@/lib/contracts/enums";
import { getMembership, listMembers } from "@/lib/db/queries/channels";
import type { outbox } from "@/lib/db/schema";
import { emitToChannel } from "@/lib/realtime/io";
import type { Deps } from "@/lib/shared/context";
import { type CmdBinding, type RevokeCmd, sendRevokeCmd, syncCmdBinding, wukongim } from "@/lib/wukongim/gateway";

const messageRevokedSchema = z.object({
  message_id: z.string(),
  channel_id: z.string(),
  channel_type: z.number(),
  message_seq: z.number(),
  revoked_by: z.string(),
  revoked_at: z.string(),
  notice: z.object({
    type: z.literal(PAYLOAD_TYPE.revokeTip),
    message_id: z.string(),
    content: z.string(),
    extra: z.array(z.object({ uid: z.string(), name: z.string() })),
  }),
}) satisfies z.ZodType<MessageRevokedEvent, unknown>;

const revokeCmdSchema = z.object({
  from_uid: z.string(),
  channel_id: z.string(),
  channel_type: z.number(),
  message_id: z.string(),
}) satisfies z.ZodType<RevokeCmd>;

const cmdBindingSchema = z.object({
  uid: z.string(),
  channel_id: z.string(),
  channel_type: z.number(),
  /** Written by the start-up backfill of members from before bindings existed (its marker). */
  backfill: z.boolean().optional(),
}) satisfies z.ZodType<CmdBinding, unknown>;

/**
 * Every kind of outbox entry, once: where it goes, what its payload is
 * (checked again when read back), and how it is delivered. Entries are
 * written with `outboxEntry()`, typed by topic, and delivered by the
 * dispatcher (or, after a crash, by `NoticeRecovery`).
 */
const TOPICS = {
  /** The revoke notice to every member socket of the channel. */
  "message:revoked": {
    destination: "realtime",
    schema: messageRevokedSchema,
    deliver: (_ctx: Deps<"db">, event: MessageRevokedEvent) => emitToChannel(event.channel_id, "message:revoked", event),
  },
  /** The revoke CMD (sync_once=1) to WuKongIM, when it is configured; on main, to the channel's members at delivery time. */
  "wukongim:revoke_cmd": {
    destination: "wukongim",
    schema: revokeCmdSchema,
    deliver: async (ctx: Deps<"db">, cmd: RevokeCmd) => {
      const im = wukongim();
      if (!im) throw new Error("WuKongIM is not configured on this instance");
      await sendRevokeCmd(im, cmd, async () => (await listMembers({ db: ctx.db(), channelId: cmd.channel_id })).map((m) => m.uid));
    },
  },
  /** One member's CMD binding on WuKongIM main, made to match their membership at delivery time (join, leave, removal). */
  "wukongim:cmd_binding": {
    destination: "wukongim",
    schema: cmdBindingSchema,
    deliver: async (ctx: Deps<"db">, binding: z.output<typeof cmdBindingSchema>) => {
      const im = wukongim();
      if (!im) throw new Error("WuKongIM is not configured on this instance");
      const isMember = async () => Boolean(await getMembership({ db: ctx.db(), channelId: binding.channel_id, uid: binding.uid }));
      await syncCmdBinding(im, binding, isMember);
    },
  },
} as const;

export type OutboxTopic = keyof typeof TOPICS;
type Payload<T extends OutboxTopic> = z.output<(typeof TOPICS)[T]["schema"]>;

export const OUTBOX_TOPICS = Object.keys(TOPICS) as OutboxTopic[];

export function outboxEntry<T extends OutboxTopic>(topic: T, channelId: string, payload: Payload<T>): typeof outbox.$inferInsert {
  return { destination: TOPICS[topic].destination, topic, channelId, payload: { ...payload } };
}

export const destinationOf = (topic: OutboxTopic) => TOPICS[topic].destination;

/** Whether this process can deliver a topic (WuKongIM entries wait for an instance configured with it). */
export function canDeliver(topic: OutboxTopic): boolean {
  return TOPICS[topic].destination === "realtime" || wukongim() !== null;
}

/** Delivers one stored entry; throws (so it is retried) on an unknown topic, a payload that fails its schema, or a failed delivery. */
export async function deliverOutboxItem(ctx: Deps<"db">, item: { topic: string; payload: unknown }): Promise<void> {
  if (!(item.topic in TOPICS)) throw new Error(`unknown outbox topic ${item.topic}`);
  const topic = TOPICS[item.topic as OutboxTopic];
  const payload = topic.schema.parse(item.payload);
  await topic.deliver(ctx, payload as never);
}
