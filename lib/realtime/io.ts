import type { Server, Socket } from "socket.io";
import type { AdminTopic, ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/chat";
import { peekSingleton, setSingleton, singleton } from "@/lib/util/singleton";

export interface SocketData {
  uid: string;
  role: "user" | "admin";
  /** The client's own device id (`auth.device`), when it sends one: keys once-per-device catch-up. */
  device?: string;
}

/** Between instances (CLUSTER=postgres): room changes for sockets still connecting there. */
export interface InterServerEvents {
  "rooms:change": (change: RoomChange) => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

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

export interface RoomChange {
  uids: string[];
  channelId: string;
  join: boolean;
}

/**
 * Sockets still in the connect middleware, by user. Socket.IO's room
 * operations (socketsJoin/socketsLeave) reach connected sockets only, so a
 * membership change made while a socket listed and joined its rooms would
 * miss it — and a removed member could keep the room. Such changes are handed
 * to these sockets here, and mark them for the middleware to list again.
 */
interface Connecting {
  socket: IoSocket;
  /** A room change reached the socket since the middleware last listed its channels. */
  changed: boolean;
}

const connecting = () => singleton("connecting-sockets", () => new Map<string, Set<Connecting>>());

export function trackConnecting(uid: string, socket: IoSocket): { entry: Connecting; release: () => void } {
  const entry: Connecting = { socket, changed: false };
  const byUid = connecting();
  if (!byUid.has(uid)) byUid.set(uid, new Set());
  byUid.get(uid)?.add(entry);
  const release = () => {
    const set = byUid.get(uid);
    set?.delete(entry);
    if (set?.size === 0) byUid.delete(uid);
  };
  return { entry, release };
}

/** This instance's connecting sockets of these users follow a room change. */
export function applyToConnecting({ uids, channelId, join }: RoomChange) {
  const room = rooms.channel(channelId);
  for (const uid of uids) {
    for (const c of connecting().get(uid) ?? []) {
      c.changed = true;
      if (join) c.socket.join(room);
      else c.socket.leave(room);
    }
  }
}

/** Set by the cluster adapter: other instances have connecting sockets too. */
export function setClustered(on: boolean) {
  setSingleton("clustered", on || undefined);
}

function changeRooms(change: RoomChange) {
  const io = getIo();
  if (!io || change.uids.length === 0) return;
  const targets = io.in(change.uids.map(rooms.user));
  if (change.join) targets.socketsJoin(rooms.channel(change.channelId));
  else targets.socketsLeave(rooms.channel(change.channelId));
  applyToConnecting(change);
  if (peekSingleton<boolean>("clustered")) io.serverSideEmit("rooms:change", change);
}

/** Follows membership changes live: every socket of these users — connecting ones too — joins (or leaves) the channel's room. */
export function joinChannelRoom(uids: string[], channelId: string) {
  changeRooms({ uids, channelId, join: true });
}

export function leaveChannelRoom(uids: string[], channelId: string) {
  changeRooms({ uids, channelId, join: false });
}

/**
 * Ends an account's live sessions: every socket is told why, then
 * disconnected by the server (which the client does not retry), so the
 * person reads "disabled" instead of "reconnecting" forever.
 */
export function endSessions(uid: string, reason: "account_disabled") {
  const io = getIo();
  io?.to(rooms.user(uid)).emit("session:ended", { reason });
  io?.in(rooms.user(uid)).disconnectSockets();
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
  // Pacing of the admin pages' refreshes, on the timers' own (machine) clock: not a rule.
  const now = performance.now();
  const last = lastNotified.get(topic) ?? Number.NEGATIVE_INFINITY;
  if (now - last >= everyMs) {
    lastNotified.set(topic, now);
    notifyAdmins(topic);
  } else if (last <= now) {
    // Schedule one trailing event; later calls in this window see it pending.
    lastNotified.set(topic, last + everyMs);
    setTimeout(() => notifyAdmins(topic), last + everyMs - now).unref();
  }
}
