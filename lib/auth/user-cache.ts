import postgres from "postgres";
import { runtime } from "@/lib/config";
import { getUserByUid } from "@/lib/db/queries/users";
import type { users } from "@/lib/db/schema";
import { ApiError } from "@/lib/errors";
import type { Deps } from "@/lib/shared/context";
import { peekSingleton, setSingleton, singleton } from "@/lib/util/singleton";

type UserRow = typeof users.$inferSelect;

/**
 * The per-request user lookup, cached in the process (#22): the account row
 * (role, name, disabled) every authenticated request reads. It must never
 * outlive a change, on any instance:
 *
 * - every change to `users` — imdesk's own paths and direct SQL alike — makes
 *   PostgreSQL NOTIFY `imdesk_users` with the uid (a trigger, drizzle/0007;
 *   '' after a TRUNCATE); each instance LISTENs on a connection of its own
 *   and evicts;
 * - the cache answers only while that connection is listening: when it
 *   closes the cache is emptied and bypassed, and it is emptied again once
 *   LISTEN is back (what was notified meanwhile is lost);
 * - a row read before an eviction arrived is not kept (the generation check):
 *   it may be the row from before the change;
 * - imdesk's own paths (an admin's disable, the test reset) do not rely on
 *   the notification's timing: after their commit they evict here and on
 *   every other live instance through the Socket.IO adapter, and answer only
 *   once each has acknowledged (`usersChanged`). So the very next request,
 *   on any instance, reads the new row.
 *
 * A change made directly in SQL has no such acknowledgement: until each
 * instance has processed the notification (normally well under a
 * millisecond after the commit; longer only if that instance's event loop is
 * stalled) a request there may still see the old row. docs/performance.md.
 */

const CHANNEL = "imdesk_users";
const MAX_ENTRIES = 10_000;
export const USERS_CHANGED_EVENT = "users:changed";

interface CacheState {
  url: string;
  entries: Map<string, UserRow>;
  /** Bumped on every eviction: a read that began before one is not kept. */
  generation: number;
  /** True only while LISTEN is in effect on the listener connection. */
  listening: boolean;
  listener: postgres.Sql;
  stopped: boolean;
  retry?: ReturnType<typeof setTimeout>;
}

const KEY = "user-cache";

function evict(state: CacheState, uid: string) {
  state.generation++;
  if (uid === "") state.entries.clear();
  else state.entries.delete(uid);
}

function goDeaf(state: CacheState) {
  state.listening = false;
  evict(state, "");
}

async function listen(state: CacheState) {
  if (state.stopped) return;
  try {
    await state.listener.unsafe(`listen ${CHANNEL}`);
    if (state.stopped) return;
    // Anything notified while nobody listened is lost: start from nothing.
    evict(state, "");
    state.listening = true;
  } catch {
    goDeaf(state);
    if (!state.stopped) state.retry = setTimeout(() => void listen(state), 500);
  }
}

function start(url: string): CacheState {
  const state = {
    url,
    entries: new Map(),
    generation: 0,
    listening: false,
    stopped: false,
  } as unknown as CacheState;
  // onnotify is postgres.js's own hook (what its sql.listen uses), missing from its types.
  const options = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    connect_timeout: 5,
    onnotice: () => {},
    backoff: (retries: number) => Math.min(0.05 * retries, 0.5),
    onnotify: (channel: string, payload: string) => {
      if (channel === CHANNEL) evict(state, payload);
    },
    onclose: () => {
      goDeaf(state);
      if (!state.stopped) state.retry = setTimeout(() => void listen(state), 50);
    },
  };
  state.listener = postgres(url, options as postgres.Options<Record<string, postgres.PostgresType>>);
  void listen(state);
  return state;
}

/** The process's cache, started on first use (and again if the database URL changed). */
function cache(): CacheState | undefined {
  const url = runtime().databaseUrl;
  if (!url) return undefined;
  const current = peekSingleton<CacheState>(KEY);
  if (current?.url === url && !current.stopped) return current;
  if (current) void stopUserCache();
  return singleton(KEY, () => start(url));
}

/** Starts listening now, so the cache is warm for the first requests and this instance answers `users:changed`. */
export function startUserCache(ctx: Deps<"io">) {
  cache();
  const io = ctx.io();
  if (io && !peekSingleton<boolean>("user-cache-handler")) {
    setSingleton("user-cache-handler", true);
    // biome-ignore lint/suspicious/noExplicitAny: an inter-server event with an acknowledgement, outside the typed map
    (io as any).on(USERS_CHANGED_EVENT, (uids: string[], ack?: () => void) => {
      evictLocally(uids);
      ack?.();
    });
  }
}

export async function stopUserCache() {
  const state = peekSingleton<CacheState>(KEY);
  if (!state) return;
  setSingleton(KEY, undefined);
  state.stopped = true;
  state.listening = false;
  clearTimeout(state.retry);
  await state.listener.end({ timeout: 1 });
}

function evictLocally(uids: string[] | "all") {
  const state = peekSingleton<CacheState>(KEY);
  if (!state) return;
  if (uids === "all") evict(state, "");
  else for (const uid of uids) evict(state, uid);
}

/** The user row for a request: from the cache while it is listening, else (and on a miss) from the database. */
export async function lookupUser(ctx: Deps<"db">, uid: string): Promise<UserRow | undefined> {
  const state = cache();
  if (state?.listening) {
    const hit = state.entries.get(uid);
    if (hit) return hit;
  }
  const generation = state?.generation;
  const row = await getUserByUid({ db: ctx.db(), uid });
  // Kept only if no eviction arrived meanwhile and nothing can have been missed.
  if (row && state?.listening && state.generation === generation) {
    if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value as string);
    state.entries.set(uid, row);
  }
  return row;
}

/**
 * After imdesk itself committed a change to these accounts: evicted here, and
 * on every other live instance before this returns (their acknowledgements
 * through the Socket.IO adapter), so the next request anywhere reads the
 * committed row. An instance that does not acknowledge in time fails the
 * caller with 503: the change is committed, and repeating it (idempotent)
 * repeats the eviction.
 */
export async function usersChanged(ctx: Deps<"io">, uids: string[] | "all") {
  evictLocally(uids);
  const io = ctx.io();
  if (!io || !peekSingleton<boolean>("clustered")) return;
  try {
    // The adapter waits for every instance it knows alive (heartbeats), up to its 5 s timeout.
    // biome-ignore lint/suspicious/noExplicitAny: as above
    await (io as any).serverSideEmitWithAck(USERS_CHANGED_EVENT, uids);
  } catch (err) {
    throw new ApiError("unavailable", `The change is saved, but not every server confirmed it yet (${(err as Error).message}); repeat it.`);
  }
}

/** For tests and the health of the design: whether the cache is in use now, and how many rows it holds. */
export function userCacheState() {
  const state = peekSingleton<CacheState>(KEY);
  return { listening: state?.listening ?? false, size: state?.entries.size ?? 0 };
}
