import type { Server, Socket } from "socket.io";
import type { AdminTopic, ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/chat";
import { peekSingleton, setSingleton } from "@/lib/util/singleton";

export interface SocketData {
  uid: string;
  role: "user" | "admin";
  /** The client's own device id (`auth.device`), when it sends one: keys once-per-device catch-up. */
  device?: string;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const rooms = {
  user: (uid: string) => `user:${uid}`,
  channel: (channelId: string) => `channel:${channelId}`,
  isChannel: (room: string) => room.startsWith("channel:"),
  channelIdOf: (room: string) => room.slice("channel:".length),
  admins: "admins",
} as const;

const KEY = "io";

export function setIo(io: IoServer | undefined) {
  setSingleton(KEY, io);
}

/** The process's Socket.IO server (created by server.ts); undefined in scripts without one. */
export function getIo(): IoServer | undefined {
  return peekSingleton<IoServer>(KEY);
}

type EventName = keyof ServerToClientEvents;
type EventArg<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export function emitToChannel<E extends EventName>(channelId: string, event: E, payload: EventArg<E>) {
  // biome-ignore lint/suspicious/noExplicitAny: Socket.IO's typed emit cannot be narrowed through a generic event name
  (getIo()?.to(rooms.channel(channelId)).emit as any)?.(event, payload);
}

export function emitToUsers<E extends EventName>(uids: string[], event: E, payload: EventArg<E>) {
  if (uids.length === 0) return;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  (getIo()?.to(uids.map(rooms.user)).emit as any)?.(event, payload);
}

/** Follows membership changes live: every socket of these users joins (or leaves) the channel's room. */
export function joinChannelRoom(uids: string[], channelId: string) {
  if (uids.length) getIo()?.in(uids.map(rooms.user)).socketsJoin(rooms.channel(channelId));
}

export function leaveChannelRoom(uids: string[], channelId: string) {
  if (uids.length) getIo()?.in(uids.map(rooms.user)).socketsLeave(rooms.channel(channelId));
}

/** Admin pages refresh live: one small event per change, to the admins' room. */
export function notifyAdmins(topic: AdminTopic) {
  getIo()?.to(rooms.admins).emit("admin:changed", { topic });
}

const lastNotified = new Map<AdminTopic, number>();

/**
 * For topics that change thousands of times a second (reads): at most one
 * event per topic per second per process, trailing included, so the page
 * ends on the latest data.
 */
export function notifyAdminsThrottled(topic: AdminTopic, everyMs = 1000) {
  const now = Date.now();
  const last = lastNotified.get(topic) ?? 0;
  if (now - last >= everyMs) {
    lastNotified.set(topic, now);
    notifyAdmins(topic);
  } else if (last <= now) {
    // Schedule one trailing event; later calls in this window see it pending.
    lastNotified.set(topic, last + everyMs);
    setTimeout(() => notifyAdmins(topic), last + everyMs - now).unref();
  }
}
