import { scalarBundle } from "@/lib/http/docs-page";

/** Scalar's standalone browser bundle, served from node_modules: the machine reaches no CDN. */
export async function GET() {
  return new Response(await scalarBundle(), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
}
