import type { ImdeskTarget } from "./server";

// The test-mode routes (/api/test/*, docs/testing.md), as plain calls. Each
// carries X-Imdesk-Test-Token; a refusal throws with the server's answer so a
// failing fixture says why.

/** A user to create: demo password when none is given. */
export interface SeedUser {
  uid: string;
  name: string;
  role?: "user" | "admin";
  password?: string;
}

/** A message already in the past: `sent_at` is an ISO time (or a Date). */
export interface SeedMessage {
  from: string;
  text: string;
  sent_at?: string | Date;
  recalled?: boolean;
}

export interface SeedChannel {
  /** Omitted: the server picks one; the answer carries it. */
  id?: string;
  type?: "group" | "dm";
  name?: string;
  /** uids, or {uid, role} for owners and admins. */
  members: (string | { uid: string; role?: "owner" | "admin" | "member" })[];
  messages?: SeedMessage[];
  /** uid → how many of the messages above they have read (read up to that one). */
  read?: Record<string, number>;
}

export interface SeedInput {
  users?: SeedUser[];
  channels?: SeedChannel[];
}

/** What the seed created: channel ids in input order, and each channel's message ids (decimal strings). */
export interface SeedResult {
  users: string[];
  channels: { channel_id: string; message_ids: string[] }[];
}

export interface SessionAnswer {
  token: string;
  storage_state: { cookies: unknown[]; origins: unknown[] };
}

export class TestMode {
  constructor(readonly target: ImdeskTarget) {}

  async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.target.url}/api/test/${path}`, {
      method,
      headers: { "x-imdesk-test-token": this.target.token, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      const hint =
        res.status === 404 ? " (is the server in test mode? IMDESK_TEST_MODE=1)" : res.status === 401 ? " (IMDESK_TEST_TOKEN?)" : "";
      throw new Error(`${method} /api/test/${path} → ${res.status}${hint}: ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Back to the demo seed: data, realtime state, rate-limit buckets; open pages are told to reload. */
  reset() {
    return this.request<unknown>("POST", "reset", {});
  }

  seed(input: SeedInput) {
    return this.request<SeedResult>("POST", "seed", {
      ...input,
      channels: input.channels?.map((c) => ({
        ...c,
        messages: c.messages?.map((m) => ({ ...m, sent_at: m.sent_at instanceof Date ? m.sent_at.toISOString() : m.sent_at })),
      })),
    });
  }

  session(uid: string) {
    return this.request<SessionAnswer>("POST", "session", { uid });
  }

  clockNow() {
    return this.request<{ now: string; offset_ms: number }>("GET", "clock");
  }

  clockAdvance(ms: number) {
    return this.request<unknown>("POST", "clock", { advance_ms: ms });
  }

  clockSet(at: Date | string) {
    return this.request<unknown>("POST", "clock", { set: at instanceof Date ? at.toISOString() : at });
  }

  clockReset() {
    return this.request<unknown>("POST", "clock", { reset: true });
  }

  rateLimits(enabled: boolean) {
    return this.request<unknown>("POST", "rate-limits", { enabled });
  }

  /** A WuKongIM-shaped event through the real webhook (signed with the configured secret). */
  webhook(event: string, data: unknown) {
    return this.request<unknown>("POST", "webhook", { event, data });
  }
}
