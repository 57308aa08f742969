import { handler } from "@/lib/api/handler";
import { checkCredentials, credentialsSchema } from "@/lib/auth/credentials";
import { issueBearerToken } from "@/lib/auth/tokens";

export const POST = handler({ access: "public", body: credentialsSchema }, async ({ body }) => {
  const user = await checkCredentials(body);
  return { token: await issueBearerToken(user), user };
});
