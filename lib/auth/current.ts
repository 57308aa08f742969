import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { resolveActor } from "./actor";

/** The signed-in user of this request (once per request), or null. */
export const currentActor = cache(async () => resolveActor(await headers()));

/** For pages: the signed-in user, or a redirect to /login. */
export async function requirePageActor() {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}
