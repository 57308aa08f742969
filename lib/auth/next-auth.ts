import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import { decode, encode } from "next-auth/jwt";
import Credentials from "next-auth/providers/credentials";
import { jwtExpired, jwtMaxAge } from "@/lib/clock";
import { ApiError } from "@/lib/errors";
import { clientAddress } from "@/lib/security/rate-limit";
import { installedContext } from "@/lib/shared/context";
import { checkCredentials } from "./credentials";
import { SESSION_MAX_AGE } from "./tokens";

/** The right password of a disabled account: the sign-in page says why (a wrong one never learns this). */
export class AccountDisabledSignin extends CredentialsSignin {
  code = "account_disabled";
}

declare module "next-auth" {
  interface Session {
    user: { uid: string; role: "user" | "admin" } & DefaultSession["user"];
  }
  interface User {
    role?: "user" | "admin";
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  // server.ts serves on whatever address the user starts it behind.
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
  // Session expiry follows the clock every rule reads (lib/clock.ts), so test mode's clock reaches sessions too.
  jwt: {
    encode: (params) => encode({ ...params, maxAge: jwtMaxAge(params.maxAge ?? SESSION_MAX_AGE) }),
    decode: async (params) => {
      const payload = await decode(params);
      return payload && jwtExpired(payload.exp) ? null : payload;
    },
  },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, request) => {
        const address = clientAddress(request.headers);
        try {
          const user = await checkCredentials(installedContext(), credentials, address);
          return { id: user.uid, name: user.name, role: user.role };
        } catch (err) {
          // Auth.js calls authorize itself, so it cannot be handed the context: the installed one (lib/shared/context.ts).
          // The one line a refused sign-in leaves (Auth.js's own report is silenced below).
          const username = typeof credentials?.username === "string" ? credentials.username.slice(0, 64) : "";
          const why = err instanceof ApiError ? err.code : `error: ${(err as Error)?.message ?? String(err)}`;
          console.warn(`[imdesk] sign-in refused for ${JSON.stringify(username)} from ${address}: ${why}`);
          if (err instanceof ApiError && err.code === "account_disabled") throw new AccountDisabledSignin();
          return null;
        }
      },
    }),
  ],
  // Auth.js logs every refused sign-in as a multi-line stack trace, so a brute-force run floods the
  // log: the refusal is logged once above, and anything else Auth.js reports gets one line.
  logger: {
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      const cause = (error as { cause?: { err?: Error } }).cause?.err;
      console.error(`[imdesk] auth: ${error.name}: ${error.message.split("\n")[0]}${cause ? ` (${cause.message})` : ""}`);
    },
  },
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.uid = user.id;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") {
        session.user.uid = token.uid;
        session.user.role = token.role === "admin" ? "admin" : "user";
      }
      return session;
    },
  },
});
