import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/chat";
import { Contract } from "./contract";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
}

/** A signed-in API client: bearer token, JSON in and out, never throws on a status. */
/**
 * One API call whose answer is checked against the API's own OpenAPI document
 * (status listed, body schema valid): every test client goes through here.
 */
export async function checkedFetch<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  (await Contract.of(baseUrl)).check(method, path, res.status, res.headers.get("content-type"), parsed);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly uid: string,
    readonly token: string,
  ) {}

  // Tokens are reused per server and user: sign-in is rate-limited per account, as it should be.
  private static tokens = new Map<string, string>();

  static async login(baseUrl: string, uid: string, password = "demo-password") {
    const key = `${baseUrl} ${uid} ${password}`;
    const cached = Client.tokens.get(key);
    if (cached) return new Client(baseUrl, uid, cached);
    const res = await fetch(`${baseUrl}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: uid, password }),
    });
    if (res.status !== 200) throw new Error(`login ${uid}: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    Client.tokens.set(key, token);
    return new Client(baseUrl, uid, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
    const { status, body: parsed } = await checkedFetch<T>(this.baseUrl, method, path, body, { authorization: `Bearer ${this.token}` });
    return { status, body: parsed };
  }

  get<T = any>(path: string) {
    return this.request<T>("GET", path);
  }
  post<T = any>(path: string, body: unknown = {}) {
    return this.request<T>("POST", path, body);
  }
  patch<T = any>(path: string, body: unknown = {}) {
    return this.request<T>("PATCH", path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>("DELETE", path);
  }

  send(channelId: string, content: string, clientMsgNo?: string) {
    return this.post(`/api/channels/${channelId}/messages`, { client_msg_no: clientMsgNo, payload: { type: 1, content } });
  }

  /** A connected socket (rooms joined before `connect`), recording every event it receives. */
  async connect(opts: { device?: string; reconnection?: boolean } = {}): Promise<RecordingSocket> {
    const socket: TestSocket = io(this.baseUrl, {
      auth: { token: this.token, ...(opts.device ? { device: opts.device } : {}) },
      transports: ["websocket"],
      reconnection: opts.reconnection ?? false,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
      forceNew: true,
    });
    const rec = new RecordingSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (err) => reject(err));
    });
    return rec;
  }
}

export class RecordingSocket {
  readonly events: { event: string; data: any; at: number }[] = [];
  constructor(readonly socket: TestSocket) {
    socket.onAny((event, data) => this.events.push({ event, data, at: Date.now() }));
  }

  of(event: keyof ServerToClientEvents) {
    return this.events.filter((e) => e.event === event).map((e) => e.data);
  }

  /** Resolves with the first event matching, already received or yet to come. */
  waitFor<T = any>(event: keyof ServerToClientEvents, match: (data: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    const found = this.events.find((e) => e.event === event && match(e.data));
    if (found) return Promise.resolve(found.data);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.offAny(listener);
        reject(new Error(`no ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (name: string, data: T) => {
        if (name === event && match(data)) {
          clearTimeout(timer);
          this.socket.offAny(listener);
          resolve(data);
        }
      };
      this.socket.onAny(listener);
    });
  }

  close() {
    this.socket.disconnect();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
