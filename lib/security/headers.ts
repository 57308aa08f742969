import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Headers on every response, and the request facts handlers may trust:
 * - the client address, from the socket (a client-sent header is dropped);
 * - a CSP with a per-request nonce: Next reads the nonce from the request's
 *   Content-Security-Policy header and puts it on its own inline scripts, so
 *   no 'unsafe-inline' is needed for scripts (styles keep it: React style
 *   attributes, e.g. the charts', are inline).
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, opts: { dev: boolean; api?: boolean }) {
  req.headers["x-imdesk-remote-addr"] = req.socket.remoteAddress ?? "unknown";
  // The page asked for, so a sign-in redirect can come back to it (a client-sent value is replaced).
  req.headers["x-imdesk-path"] = req.url ?? "/";
  // JSON answers run no scripts: the same policy without a nonce, built once (randomBytes per call showed in #22's profile).
  const csp = opts.api ? (opts.dev ? API_POLICY_DEV : API_POLICY) : policy(randomBytes(16).toString("base64"), opts.dev);
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (req.headers["x-forwarded-proto"] === "https") res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

function policy(nonce: string, dev: boolean) {
  return [
    "default-src 'self'",
    `script-src 'self'${nonce ? ` 'nonce-${nonce}' 'strict-dynamic'` : ""}${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const API_POLICY = policy("", false);
const API_POLICY_DEV = policy("", true);
