import type { ChannelUpdatedEvent } from "@/lib/contracts/chat";
import { getIo, joinChannelRoom, leaveChannelRoom, rooms } from "./io";

/**
 * A channel changed — members added, removed or left, renamed, a role or a
 * setting changed. The joined enter and the left quit the channel's room
 * first; then one `channel:updated` goes to the room and to the users the
 * change is about, so every member's open view (list, header, members panel)
 * refetches, and those who left learn it though they are out of the room.
 * `by` is set when others were removed: they are told by whom.
 */
export function announceChannelChange(
  channelId: string,
  change: { joined?: string[]; left?: string[]; by?: { uid: string; name: string } } = {},
) {
  const joined = change.joined ?? [];
  const left = change.left ?? [];
  joinChannelRoom(joined, channelId);
  leaveChannelRoom(left, channelId);
  const removed = change.by ? left.filter((uid) => uid !== change.by?.uid) : [];
  const event: ChannelUpdatedEvent = {
    channel_id: channelId,
    ...(change.by && removed.length ? { removed: { uids: removed, by: { uid: change.by.uid, name: change.by.name } } } : {}),
  };
  // One broadcast to several rooms reaches each socket once.
  getIo()
    ?.to([rooms.channel(channelId), ...[...joined, ...left].map(rooms.user)])
    .emit("channel:updated", event);
}
