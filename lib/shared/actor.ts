import type { SystemRole } from "@/lib/contracts/enums";

export type Role = SystemRole;

/**
 * Who is acting: always from the session cookie or a bearer token, never from
 * a body (lib/auth/actor.ts resolves it). The type lives here, below the
 * features and lib/auth, because the access rules (access.ts) judge it.
 */
export interface Actor {
  uid: string;
  name: string;
  role: Role;
  via: "bearer" | "cookie";
}
