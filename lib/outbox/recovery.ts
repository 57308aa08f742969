import type { ServerToClientEvents } from "@/lib/contracts/chat";
import type { IoSocket } from "@/lib/realtime/io";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";

interface PendingNotice {
  topic: keyof ServerToClientEvents;
  payload: unknown;
  /** Devices that have it: each gets a notice once, however often it reconnects. */
  devices: Set<string>;
}

const KEY = "notice-recovery";

/**
 * Socket notices a crashed process committed but never sent. Its devices
 * reconnect here at their own pace (Socket.IO's backoff, a laptop waking), so
 * rather than broadcast once on a timer, each connecting socket is handed the
 * notices of its channels — once per device (`auth.device`; a client without
 * one gets them once per connection) — for `ttlMs` after start-up.
 */
export class NoticeRecovery {
  private readonly byChannel = new Map<string, PendingNotice[]>();
  private readonly until: number;

  /** `now`: the context's clock (a test's fake one moves past `ttlMs`). */
  constructor(
    notices: { topic: string; channelId: string | null; payload: unknown }[],
    ttlMs: number,
    private readonly now: () => number,
  ) {
    for (const n of notices) {
      if (!n.channelId) continue;
      const list = this.byChannel.get(n.channelId) ?? [];
      list.push({ topic: n.topic as keyof ServerToClientEvents, payload: n.payload, devices: new Set() });
      this.byChannel.set(n.channelId, list);
    }
    this.until = now() + ttlMs;
  }

  install() {
    if (this.byChannel.size > 0) setSingleton(KEY, this);
  }

  /** Hands a freshly connected socket what its channels missed. */
  deliver(socket: IoSocket, channelIds: Iterable<string>) {
    if (this.now() > this.until) {
      this.byChannel.clear();
      if (peekSingleton(KEY) === this) setSingleton(KEY, undefined);
      return;
    }
    const device = socket.data.device;
    for (const channelId of channelIds) {
      for (const notice of this.byChannel.get(channelId) ?? []) {
        if (device && notice.devices.has(device)) continue;
        // biome-ignore lint/suspicious/noExplicitAny: the topic names a server event; its payload was typed when written
        (socket.emit as any)(notice.topic, notice.payload);
        if (device) notice.devices.add(device);
      }
    }
  }
}

export function noticeRecovery(): NoticeRecovery | undefined {
  return peekSingleton<NoticeRecovery>(KEY);
}
