import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { type IoServer, setClustered } from "@/lib/realtime/io";

/**
 * CLUSTER=postgres: every event — message:new, message:revoked,
 * receipts:update, channel:read, admin updates — and every room change
 * reaches the sockets of all instances, through the Socket.IO Postgres adapter
 * (LISTEN/NOTIFY on a pool of its own, never inside our write transactions).
 */
export async function attachClusterAdapter(io: IoServer, databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on("error", (err) => console.error("[imdesk] cluster adapter pool error", err.message));
  io.adapter(createAdapter(pool, { errorHandler: (err) => console.error("[imdesk] cluster adapter", err.message) }));
  setClustered(true);
  console.log("[imdesk] cluster mode: Socket.IO Postgres adapter");
  return pool;
}
