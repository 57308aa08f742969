import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { installedContext } from "@/lib/shared/context";
import { resolveActor } from "./actor";

/**
 * The signed-in user of this request (once per request), or null. Pages are
 * called by Next, which cannot hand them the context: they find the installed one.
 */
export const currentActor = cache(async () => resolveActor(installedContext(), await headers()));

/** A same-site path to return to after sign-in; anything else is dropped. */
export function safeNext(path: string | null | undefined): string | null {
  if (!path?.startsWith("/") || path.startsWith("//") || path.startsWith("/\\") || path.startsWith("/login")) return null;
  return path.length <= 512 ? path : null;
}

/** For pages: the signed-in user, or a redirect to /login that comes back to the page asked for. */
export async function requirePageActor() {
  const actor = await currentActor();
  if (!actor) {
    const next = safeNext((await headers()).get("x-imdesk-path"));
    redirect(next && next !== "/chat" ? `/login?next=${encodeURIComponent(next)}` : "/login");
  }
  return actor;
}
