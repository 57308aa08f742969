// Next gives route handlers their own copy of every module, while server.ts
// has another: process-wide state (the Socket.IO server, the database pool,
// batchers) lives on globalThis under one key so both copies share it.
const store = globalThis as typeof globalThis & { __imdesk?: Map<string, unknown> };

export function singleton<T>(key: string, create: () => T): T {
  store.__imdesk ??= new Map();
  if (!store.__imdesk.has(key)) store.__imdesk.set(key, create());
  return store.__imdesk.get(key) as T;
}

export function setSingleton<T>(key: string, value: T | undefined) {
  store.__imdesk ??= new Map();
  if (value === undefined) store.__imdesk.delete(key);
  else store.__imdesk.set(key, value);
}

export function peekSingleton<T>(key: string): T | undefined {
  return store.__imdesk?.get(key) as T | undefined;
}
