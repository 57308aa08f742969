import { readFile } from "node:fs/promises";
import path from "node:path";

/** The nonce of a Content-Security-Policy value (the server sets one per request), or null. */
export function cspNonce(csp: string | null): string | null {
  return csp?.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1] ?? null;
}

let bundle: Promise<string> | undefined;

/** @scalar/api-reference's standalone build; its package exports do not list it, so it is read by path. */
export function scalarBundle(): Promise<string> {
  bundle ??= readFile(path.join(process.cwd(), "node_modules", "@scalar", "api-reference", "dist", "browser", "standalone.js"), "utf8");
  return bundle;
}
