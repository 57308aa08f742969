import { cspNonce } from "@/lib/http/docs-page";

export const dynamic = "force-dynamic";

/**
 * The interactive API reference (Scalar), reading /api/openapi.json. Its
 * script is bundled from the npm package (/docs/api/scalar.js), never a CDN,
 * and both script tags carry the request's CSP nonce (lib/security/headers.ts).
 */
export function GET(req: Request) {
  const nonce = cspNonce(req.headers.get("content-security-policy"));
  const n = nonce ? ` nonce="${nonce}"` : "";
  const config = JSON.stringify({
    url: "/api/openapi.json",
    withDefaultFonts: false,
    hideClientButton: false,
    metaData: { title: "imdesk API reference" },
  });
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>imdesk API reference</title>
    ${nonce ? `<meta property="csp-nonce" content="${nonce}" />` : ""}
  </head>
  <body>
    <div id="app"></div>
    <script${n} src="/docs/api/scalar.js"></script>
    <script${n}>Scalar.createApiReference("#app", ${config});</script>
  </body>
</html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
