import NextAuth, { type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { clientAddress } from "@/lib/security/rate-limit";
import { checkCredentials } from "./credentials";

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
  session: { strategy: "jwt" },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, request) => {
        try {
          const user = await checkCredentials(credentials, clientAddress(request.headers));
          return { id: user.uid, name: user.name, role: user.role };
        } catch {
          return null;
        }
      },
    }),
  ],
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
