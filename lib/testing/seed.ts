import { randomUUID } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { createGroup, openDirect, setRole, updateChannelSettings } from "@/lib/chat/channels";
import { storeMessage } from "@/lib/chat/messages";
import { now } from "@/lib/clock";
import type { SeedAnswer, SeedInput } from "@/lib/contracts/testing";
import { getUserByUid, insertUser } from "@/lib/db/queries/users";
import { ApiError } from "@/lib/errors";
import { markRead } from "@/lib/receipts/service";
import { recallMessage } from "@/lib/revoke/service";
import { requireMember } from "@/lib/shared/access";
import type { AppContext, Deps } from "@/lib/shared/context";
import { demoPasswordHash } from "./reset";

/**
 * POST /api/test/seed: what a test needs, in one call, made by the app's own
 * services so the rows are exactly what using the app would leave — in order:
 * users, groups (owner creates, owner promotes admins), direct conversations,
 * messages (stored as built-in delivery stores them, at `sent_at`), recalls
 * (under the revoke rules, at their moment), read positions. Not atomic: a
 * refusal midway (400, naming the entry) leaves what came before; reset.
 */
export async function seedData(ctx: AppContext, input: SeedInput): Promise<SeedAnswer> {
  const actorOf = (uid: string) => actorOfUid(ctx, uid);
  const answer: SeedAnswer = { users: [], groups: [], directs: [], messages: [], refs: {} };
  const channelOf = (ref: string) => answer.refs[ref] ?? ref;
  const hashes = new Map<string, Promise<string>>();
  const hashOf = (password?: string) => {
    if (!password) return demoPasswordHash();
    if (!hashes.has(password)) hashes.set(password, hashPassword(password));
    return hashes.get(password) as Promise<string>;
  };

  for (const [i, u] of input.users.entries())
    await step(`users[${i}]`, async () => {
      const created = await insertUser({
        db: ctx.db(),
        user: { uid: u.uid, name: u.name ?? u.uid, role: u.role, passwordHash: await hashOf(u.password) },
      });
      if (!created) throw new ApiError("user_exists", `${u.uid} exists.`);
      answer.users.push(u.uid);
    });

  for (const [i, g] of input.groups.entries())
    await step(`groups[${i}]`, async () => {
      const owner = await actorOf(g.owner);
      const members = [...new Set([...g.members, ...g.admins])];
      const { channel_id } = await createGroup(ctx, { actor: owner, input: { name: g.name, members } });
      for (const uid of g.admins) await setRole(ctx, { actor: owner, channelId: channel_id, uid, role: "admin" });
      if (g.receipts !== undefined)
        await updateChannelSettings(ctx, { actor: owner, channelId: channel_id, input: { receipts: g.receipts } });
      answer.groups.push({ channel_id, name: g.name, ...(g.ref ? { ref: g.ref } : {}) });
      if (g.ref) answer.refs[g.ref] = channel_id;
    });

  for (const [i, d] of input.directs.entries())
    await step(`directs[${i}]`, async () => {
      const { channel_id } = await openDirect(ctx, { actor: await actorOf(d.between[0]), uid: d.between[1] });
      answer.directs.push({ channel_id, ...(d.ref ? { ref: d.ref } : {}) });
      if (d.ref) answer.refs[d.ref] = channel_id;
    });

  for (const [i, m] of input.messages.entries())
    await step(`messages[${i}]`, async () => {
      const channelId = channelOf(m.channel);
      const sender = await actorOf(m.from);
      await requireMember({ db: ctx.db(), channelId, actor: sender });
      const sentAt = m.sent_at ? new Date(m.sent_at) : new Date(now());
      if (sentAt.getTime() > now()) throw new ApiError("invalid_request", "sent_at is in the future (by the server clock).");
      const { row } = await storeMessage(ctx, {
        channelId,
        fromUid: sender.uid,
        clientMsgNo: randomUUID().replaceAll("-", ""),
        payload: { type: 1, content: m.content },
        sentAt,
      });
      let revoked = false;
      if (m.recalled) {
        const how = m.recalled === true ? {} : m.recalled;
        const at = how.at ? new Date(how.at) : new Date(Math.min(sentAt.getTime() + 1000, now()));
        await recallMessage(ctx, { actor: await actorOf(how.by ?? m.from), messageId: row.messageId, reason: how.reason, at });
        revoked = true;
      }
      answer.messages.push({
        message_id: row.messageId,
        channel_id: channelId,
        message_seq: row.messageSeq,
        revoked,
        ...(m.ref ? { ref: m.ref } : {}),
      });
      if (m.ref) answer.refs[m.ref] = row.messageId;
    });

  for (const [i, r] of input.reads.entries())
    await step(`reads[${i}]`, async () => {
      const target = r.up_to === undefined ? r.message_seq : answer.messages.find((m) => m.ref === r.up_to)?.message_seq;
      if (target === undefined) throw new ApiError("invalid_request", "Give message_seq, or up_to naming a message ref of this seed.");
      await markRead(ctx, { actor: await actorOf(r.uid), channelId: channelOf(r.channel), seq: target });
    });

  return answer;
}

async function actorOfUid(ctx: Deps<"db">, uid: string): Promise<Actor> {
  const user = await getUserByUid({ db: ctx.db(), uid });
  if (!user) throw new ApiError("user_not_found", `No user ${uid}.`);
  return { uid: user.uid, name: user.name, role: user.role, via: "bearer" };
}

/** A refusal of the app's rules is a bad seed: 400 naming the entry, never a 500 or a 403 of the test route itself. */
async function step(where: string, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) throw new ApiError("invalid_request", `${where}: ${err.message}`, { code: err.code });
    throw err;
  }
}
