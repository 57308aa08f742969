import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { authenticate } from "@/lib/auth/actor";
import type { ReadAck } from "@/lib/contracts/chat";
import { channelIdSchema } from "@/lib/contracts/ids";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { listChannelIdsOfUser } from "@/lib/db/queries/channels";
import { getUserByUid } from "@/lib/db/queries/users";
import { isApiError } from "@/lib/errors";
import { noticeRecovery } from "@/lib/outbox/recovery";
import { applyToConnecting, type IoServer, type IoSocket, type RoomChange, rooms, setIo, trackConnecting } from "@/lib/realtime/io";
import { markRead, readSchema } from "@/lib/receipts/service";
import type { AppContext, Deps } from "@/lib/shared/context";

function sameOrigin(origin: string | undefined, host: string | undefined) {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Joins the user's, admins' and channels' rooms. Membership changes made
 * meanwhile reach this socket through trackConnecting (Socket.IO's own room
 * operations skip sockets not yet connected): a change that lands while the
 * channels are listed makes the list be read again, so the rooms end exactly
 * as the database says, and a removed member never keeps a room.
 */
async function joinRooms(ctx: Deps<"db">, socket: IoSocket): Promise<() => void> {
  const { uid, role } = socket.data;
  const { entry, release } = trackConnecting(uid, socket);
  try {
    socket.join([rooms.user(uid), ...(role === "admin" ? [rooms.admins] : [])]);
    do {
      entry.changed = false;
      const listed = new Set((await listChannelIdsOfUser({ db: ctx.db(), uid })).map(rooms.channel));
      for (const room of socket.rooms) if (rooms.isChannel(room) && !listed.has(room)) socket.leave(room);
      socket.join([...listed]);
    } while (entry.changed);
  } catch (err) {
    release();
    throw err;
  }
  return release;
}

/**
 * Socket.IO on the app's own HTTP server. A connection is authenticated in
 * the middleware (bearer token in `auth.token`, or the session cookie from our
 * own origin) and joins its user's and channels' rooms there, before the
 * client's `connect` fires, so no event sent after `connect` is missed. The
 * handlers take what they use from the context boot hands over.
 */
export function createRealtimeServer(httpServer: HttpServer, opts: { dev: boolean; ctx: AppContext }): IoServer {
  const { ctx } = opts;
  const io: IoServer = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // In development Next's HMR shares the upgrade event; leave its sockets alone.
    destroyUpgrade: !opts.dev,
    maxHttpBufferSize: 64 * 1024,
    // A silently dropped connection is noticed within 15 s (defaults: 45 s).
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });
  io.use((socket, next) => void admit(ctx, socket, next));
  io.on("rooms:change", (change) => applyRoomChange(io, change));
  io.on("connection", (socket) => {
    const active = checkStillActive(ctx, socket);
    socket.on("read", (input, ack) => void onRead(ctx, socket, active, input, typeof ack === "function" ? ack : () => {}));
  });
  setIo(io);
  return io;
}

/** The connect middleware: same origin or a token, the account, the device id, the rooms — then the socket connects. */
async function admit(ctx: Deps<"db">, socket: IoSocket, next: (err?: Error) => void) {
  try {
    const auth = socket.handshake.auth as { token?: unknown; device?: unknown } | undefined;
    const token = auth?.token;
    const headers = socket.handshake.headers;
    if (typeof token !== "string" && !sameOrigin(headers.origin, headers["x-forwarded-host"]?.toString() ?? headers.host)) {
      return next(new Error("cross_origin"));
    }
    const result = await authenticate(ctx, typeof token === "string" ? {} : (headers as Record<string, string>), { authToken: token });
    // "account_disabled" lets a tab that missed session:ended say why, not just "signed out".
    if ("refused" in result) return next(new Error(result.refused));
    const { actor } = result;
    const device = typeof auth?.device === "string" && /^[\w-]{1,64}$/.test(auth.device) ? auth.device : undefined;
    socket.data = { uid: actor.uid, role: actor.role, device };
    const release = await joinRooms(ctx, socket);
    next();
    // next() connects the socket in a tick it has just scheduled, before this
    // one: from then on Socket.IO's room operations reach it, and until then
    // membership changes go on reaching it through trackConnecting.
    process.nextTick(release);
  } catch (err) {
    // The client retries by itself; an outage of the database is one line per attempt, not a stack.
    if (isDatabaseUnavailable(err)) console.warn(`[imdesk] socket refused: database unavailable (${(err as Error).message})`);
    else console.error("[imdesk] socket auth failed", err);
    next(new Error("unavailable"));
  }
}

/**
 * A room change made on another instance, for sockets still connecting here —
 * and for those that connected since the adapter's own copy of it arrived.
 */
function applyRoomChange(io: IoServer, change: RoomChange) {
  const here = io.local.in(change.uids.map(rooms.user));
  if (change.join) here.socketsJoin(rooms.channel(change.channelId));
  else here.socketsLeave(rooms.channel(change.channelId));
  applyToConnecting(change);
}

/**
 * The account is checked again now that the socket is connected and in its
 * rooms: a disable that committed after the middleware's check either is seen
 * here, or its disconnectSockets() (sent after its commit) finds this socket.
 * An active socket is handed the notices a crashed predecessor left for its
 * channels. Reads wait for the answer.
 */
function checkStillActive(ctx: Deps<"db">, socket: IoSocket): Promise<boolean> {
  return getUserByUid({ db: ctx.db(), uid: socket.data.uid }).then(
    (user) => {
      if (!user || user.disabledAt) {
        // Told why before the server-side disconnect, which the client does not retry.
        socket.emit("session:ended", { reason: user ? "account_disabled" : "account_removed" });
        socket.disconnect();
        return false;
      }
      noticeRecovery()?.deliver(socket, [...socket.rooms].filter(rooms.isChannel).map(rooms.channelIdOf));
      return true;
    },
    () => {
      socket.disconnect(true);
      return false;
    },
  );
}

type ReadReply = (answer: ReadAck) => void;

/** The `read` event: the cursor moved by the same service as HTTP's, the answer or an error code in the ack. */
async function onRead(ctx: Deps<"db" | "limiter" | "reads">, socket: IoSocket, active: Promise<boolean>, input: unknown, reply: ReadReply) {
  if (!(await active)) return reply({ ok: false, error: { code: "unauthenticated", message: "This account is disabled." } });
  const channel = channelIdSchema.safeParse((input as { channel_id?: unknown } | null)?.channel_id);
  const body = readSchema.safeParse(input);
  if (!channel.success || !body.success) {
    return reply({ ok: false, error: { code: "invalid_request", message: "read needs channel_id and message_seq" } });
  }
  try {
    // Identity was proven at connect (a disabled account's sockets are disconnected);
    // membership is checked by the read itself.
    const actor = { uid: socket.data.uid, name: socket.data.uid, role: socket.data.role, via: "bearer" as const };
    const result = await markRead(ctx, { actor, channelId: channel.data, seq: body.data.message_seq });
    reply({ ok: true, ...result });
  } catch (err) {
    if (isApiError(err)) return reply({ ok: false, error: { code: err.code, message: err.message } });
    if (isDatabaseUnavailable(err))
      return reply({
        ok: false,
        error: { code: "unavailable", message: "The database is busy or unreachable; try again in a moment." },
      });
    console.error("[imdesk] socket read failed", err);
    reply({ ok: false, error: { code: "internal_error", message: "Something went wrong on our side." } });
  }
}
