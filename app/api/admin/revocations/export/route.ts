import { handler } from "@/lib/api/handler";
import { revocationsQuerySchema, streamRevocationsCsv } from "@/lib/admin/revocations";

/** The filtered revocations as CSV, streamed. */
export const GET = handler({ access: "admin", query: revocationsQuerySchema }, async ({ query }) => {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "-");
  return new Response(streamRevocationsCsv(query), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="revocations-${stamp}.csv"`, "cache-control": "no-store" },
  });
});
