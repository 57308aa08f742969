"use server";

import { AuthError } from "next-auth";
import { signIn, signOut } from "@/lib/auth/next-auth";

export type SignInState = { error?: string };

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  try {
    await signIn("credentials", {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      redirectTo: "/chat",
    });
    return {};
  } catch (err) {
    // signIn redirects by throwing; only Auth.js errors mean the sign-in failed.
    if (err instanceof AuthError) return { error: "Wrong username or password." };
    throw err;
  }
}

export async function signOutAction() {
  await signOut({ redirectTo: "/login" });
}
