import { config } from "@/lib/config";
import { CHANNEL_TYPE, PAYLOAD_TYPE } from "@/lib/contracts/enums";
import { WuKongImClient } from "@/lib/wukongim/client";

/**
 * The IM gateway: with WUKONGIM_API_URL set, messages and revoke CMDs go
 * through WuKongIM (which assigns ids and seqs and calls our webhook back);
 * unset, imdesk stores and delivers by itself over Socket.IO ("built-in").
 */
export function wukongim(): WuKongImClient | null {
  const cfg = config();
  return cfg.WUKONGIM_API_URL ? new WuKongImClient(cfg.WUKONGIM_API_URL, cfg.WUKONGIM_MANAGER_TOKEN) : null;
}

/** The channel id as WuKongIM addresses it from `fromUid`: a person chat is addressed by the other party's uid. */
export function wukongimChannelId(channelId: string, channelType: number, fromUid: string) {
  if (channelType !== CHANNEL_TYPE.person || !channelId.includes("@")) return channelId;
  const [a, b] = channelId.split("@");
  return a === fromUid ? b : a;
}

export interface RevokeCmd {
  from_uid: string;
  channel_id: string;
  channel_type: number;
  message_id: string;
}

/**
 * Delivers one revoke CMD (outbox destination "wukongim"), sync_once=1, from the
 * revoker. The payload names the channel (as WuKongIM stores it: a person chat is
 * `a@b`) and the message, because on main the CMD arrives on a channel of its own.
 *
 * - v2.2.5: sent to the channel; WuKongIM hands it to the channel's subscribers
 *   online and keeps it in `<channel>____cmd`, where each subscriber's client finds
 *   it with `POST /message/sync` until it acknowledges it.
 * - main: a CMD sent to a channel goes only to the subscribers of `<channel>____cmd`,
 *   which nobody is (docs/wukongim.md § The real server), but it is kept there for the
 *   uids bound to the channel (`syncCmdBinding`), whose clients find it with
 *   `POST /message/sync`. So it is sent twice: to the channel, for the members who are
 *   offline, and to the channel's CURRENT members by uid (`subscribers`, no channel),
 *   which reaches every connected client of theirs and nobody who has left. `members`
 *   is asked at delivery time, so a retry after a removal leaves the removed member
 *   out too. A retry repeats neither: main answers a send it already has (same
 *   sender, client_msg_no, channel and payload) with the stored message.
 */
export async function sendRevokeCmd(client: WuKongImClient, cmd: RevokeCmd, members: () => Promise<string[]>) {
  const common = {
    header: { no_persist: 0, red_dot: 0, sync_once: 1 },
    client_msg_no: `revoke-${cmd.message_id}`,
    from_uid: cmd.from_uid,
    payload: {
      type: PAYLOAD_TYPE.cmd,
      cmd: "messageRevoke",
      param: { message_id: cmd.message_id, channel_id: cmd.channel_id, channel_type: cmd.channel_type },
    },
  } as const;
  const toChannel = () =>
    client.sendMessage({
      ...common,
      channel_id: wukongimChannelId(cmd.channel_id, cmd.channel_type, cmd.from_uid),
      channel_type: cmd.channel_type,
    });
  if ((await client.line()) !== "main") {
    await toChannel();
    return;
  }
  // The connected clients first: they are the ones waiting.
  const subscribers = await members();
  // Nobody left to tell (main refuses an empty list).
  if (subscribers.length > 0) await client.sendMessage({ ...common, client_msg_no: `revoke-${cmd.message_id}-live`, subscribers });
  await toChannel();
}

export interface CmdBinding {
  uid: string;
  channel_id: string;
  channel_type: number;
}

/** The uid main uses for its own sends; it may send to any channel (main's permission check lets it through). */
const SYSTEM_UID = "____system";

/**
 * Makes one member's CMD binding on main (`/message/cmd/bind`) match imdesk's
 * membership as it is when the outbox entry is delivered, so retries and entries
 * delivered out of order end in the current state: a member is bound, anyone else
 * unbound. v2.2.5 needs nothing: it keeps a CMD conversation for every subscriber
 * of the channel itself (and has no such routes).
 *
 * Before binding, the channel's CMD log is opened with a CMD of its own: on main
 * (b249d3a) a uid bound to a channel whose `<channel>____cmd` has never held a CMD
 * gets HTTP 400 "channel not found" from `/message/sync` for ALL its channels. Sent
 * before the bind, that CMD lies before where the binding starts (the log's tail + 1),
 * so nobody syncs it; sent again it is answered with the stored one (same sender,
 * client_msg_no and payload), so it is written once per channel (a person chat: once
 * per party, who sends it to the other — the system uid cannot address a person chat).
 */
export async function syncCmdBinding(client: WuKongImClient, binding: CmdBinding, isMember: () => Promise<boolean>) {
  if ((await client.line()) !== "main") return;
  if (!(await isMember())) {
    // Unbinding a uid that was never bound is a 200 as well.
    await client.cmdBind("unbind", binding);
    return;
  }
  const person = binding.channel_type === CHANNEL_TYPE.person;
  const from = person ? binding.uid : SYSTEM_UID;
  await client.sendMessage({
    header: { no_persist: 0, red_dot: 0, sync_once: 1 },
    client_msg_no: `cmd-log-open-${binding.channel_id}`,
    from_uid: from,
    channel_id: wukongimChannelId(binding.channel_id, binding.channel_type, from),
    channel_type: binding.channel_type,
    payload: { type: PAYLOAD_TYPE.cmd, cmd: "cmdLogOpen" },
  });
  await client.cmdBind("bind", binding);
}
