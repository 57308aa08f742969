import { handler } from "@/lib/api/handler";
import { checkCredentials, credentialsSchema } from "@/lib/auth/credentials";
import { issueBearerToken } from "@/lib/auth/tokens";
import { clientAddress } from "@/lib/security/rate-limit";

export const POST = handler({ access: "public", body: credentialsSchema }, async ({ req, body }) => {
  const user = await checkCredentials(body, clientAddress(req.headers));
  return { token: await issueBearerToken(user), user };
});
