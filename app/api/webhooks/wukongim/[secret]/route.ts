import { errorResponse, json } from "@/lib/api/respond";
import { receiveWebhook } from "@/lib/webhooks/wukongim/delivery";

// Not behind handler(): WuKongIM authenticates with the secret in the path, and the raw body is parsed big-int-safely.
export async function POST(req: Request, ctx: { params: Promise<{ secret: string }> }) {
  try {
    const { secret } = await ctx.params;
    return json(await receiveWebhook({ secret, event: new URL(req.url).searchParams.get("event"), req }));
  } catch (err) {
    return errorResponse(err);
  }
}
