import { crc32 } from "node:zlib";

/**
 * WuKongIM keys a person chat by a "fake channel id" that both sides share:
 * with h = crc32 (IEEE, unsigned), `from@to` when h(from) > h(to), else
 * `to@from`. In msg.notify a person message's channel_id is the recipient.
 */
export function personChannelId(fromUid: string, toUid: string): string {
  return crc32(fromUid) > crc32(toUid) ? `${fromUid}@${toUid}` : `${toUid}@${fromUid}`;
}

/** The channel a WuKongIM message belongs to in our store. */
export function channelKey(m: { channelType: number; channelId: string; fromUid: string }): string {
  if (m.channelType === 1 && !m.channelId.includes("@")) return personChannelId(m.fromUid, m.channelId);
  return m.channelId;
}

/** The other party of a person channel, seen from uid. */
export function peerOf(channelId: string, uid: string): string {
  const [a, b] = channelId.split("@");
  return a === uid ? b : a;
}
