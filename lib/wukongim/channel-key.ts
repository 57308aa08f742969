import { crc32 } from "node:zlib";
import { CHANNEL_TYPE } from "@/lib/contracts/enums";

/** WuKongIM's system sender: `""` in msg.notify, `"____system"` in msg.offline. */
export const SYSTEM_UID = "____system";

/**
 * WuKongIM keys a person chat by a "fake channel id" that both sides share:
 * with h = crc32 (IEEE, unsigned), `from@to` when h(from) > h(to), else
 * `to@from`. When the hashes tie (`plumless`/`buckeroo`), v2.2.5 only logs a
 * warning and lets the sender's side decide — two ids for one pair — while
 * main (pkg/protocol/channelid/person.go) puts the byte-wise greater uid
 * first. We follow main: one pair, one channel, whoever opens it.
 */
export function personChannelId(fromUid: string, toUid: string): string {
  const a = crc32(fromUid);
  const b = crc32(toUid);
  // Go compares strings byte by byte (UTF-8), which JS's < on UTF-16 does not always match.
  const fromFirst = a > b || (a === b && Buffer.compare(Buffer.from(fromUid), Buffer.from(toUid)) > 0);
  return fromFirst ? `${fromUid}@${toUid}` : `${toUid}@${fromUid}`;
}

/**
 * The channel a WuKongIM message belongs to in our store. In msg.notify a
 * person message's channel_id is the recipient, or already a fake id (in
 * either order); system messages (from_uid "") are keyed with the system uid.
 */
export function channelKey(m: { channelType: number; channelId: string; fromUid: string }): string {
  if (m.channelType !== CHANNEL_TYPE.person || m.channelId === SYSTEM_UID) return m.channelId;
  const [a, b] = m.channelId.split("@");
  if (b !== undefined) return personChannelId(a, b);
  return personChannelId(m.fromUid || SYSTEM_UID, m.channelId);
}

/** The people of a person channel (the system is not a member of anything). */
export function personMembers(channelId: string): string[] {
  return channelId.split("@").filter((uid) => uid && uid !== SYSTEM_UID);
}
