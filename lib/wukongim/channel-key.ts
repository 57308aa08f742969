import { crc32 } from "node:zlib";
import { CHANNEL_TYPE } from "@/lib/contracts/enums";

/** WuKongIM's system sender: `""` in msg.notify, `"____system"` in msg.offline. */
export const SYSTEM_UID = "____system";

/**
 * WuKongIM keys a person chat by a "fake channel id" that both sides share:
 * with h = crc32 (IEEE, unsigned), `from@to` when h(from) > h(to), else
 * `to@from`. Symmetric, so either order of the two uids gives the same id.
 */
export function personChannelId(fromUid: string, toUid: string): string {
  return crc32(fromUid) > crc32(toUid) ? `${fromUid}@${toUid}` : `${toUid}@${fromUid}`;
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
