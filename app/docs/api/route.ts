import { cspNonce } from "@/lib/http/docs-page";

export const dynamic = "force-dynamic";

/**
 * Scalar's default theme has muted text and HTTP-method colours under WCAG
 * AA's 4.5:1 (e.g. #8e8e8e and #ef0006 on white, #797979 on #0f0f0f): the
 * same hues, darker in light mode and lighter in dark mode, so that the
 * reference passes an axe scan in both (e2e/api-docs-a11y.spec.ts).
 */
const SCALAR_CONTRAST_CSS = [
  "body.light-mode { --scalar-color-2: #555555; --scalar-color-3: #5f5f5f; --scalar-color-green: #0a7149; --scalar-color-red: #c00008;",
  " --scalar-color-yellow: #7a5600; --scalar-color-blue: #005f99; --scalar-color-orange: #a63a00; --scalar-color-query: #00605f; }",
  "body.dark-mode { --scalar-color-2: #b8b8b8; --scalar-color-3: #a3a3a3; --scalar-color-green: #3fd07a; --scalar-color-red: #ff6b69;",
  " --scalar-color-blue: #6cc4f5; --scalar-color-orange: #ff9a61; --scalar-color-purple: #c3a9fb; }",
].join("");

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
    customCss: SCALAR_CONTRAST_CSS,
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
