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
 *   online and keeps it in `<channel>____cmd` for the rest to sync.
 * - main: a CMD sent to a channel goes only to the subscribers of `<channel>____cmd`,
 *   which nobody is (docs/wukongim.md § The real server), so it is sent to the
 *   channel's CURRENT members by uid (`subscribers`, no channel): every connected
 *   client of theirs receives it, and nobody who has left. `members` is asked at
 *   delivery time, so a retry after a removal leaves the removed member out too.
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
  if ((await client.line()) === "main") {
    const subscribers = await members();
    // Nobody left to tell (main refuses an empty list).
    if (subscribers.length === 0) return;
    await client.sendMessage({ ...common, subscribers });
    return;
  }
  await client.sendMessage({
    ...common,
    channel_id: wukongimChannelId(cmd.channel_id, cmd.channel_type, cmd.from_uid),
    channel_type: cmd.channel_type,
  });
}
