"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { safeNext } from "@/lib/auth/current";
import { signIn, signOut } from "@/lib/auth/next-auth";

export type SignInState = { error?: string; username?: string };

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const username = String(form.get("username") ?? "");
  try {
    await signIn("credentials", {
      username,
      password: String(form.get("password") ?? ""),
      redirectTo: safeNext(String(form.get("next") ?? "")) ?? "/chat",
    });
    return {};
  } catch (err) {
    // signIn redirects by throwing; only Auth.js errors mean the sign-in failed. The username stays typed.
    // AccountDisabledSignin: the right password of a disabled account (a wrong one never gets here).
    if (err instanceof CredentialsSignin && err.code === "account_disabled")
      return { error: "This account was disabled by an administrator.", username };
    if (err instanceof AuthError) return { error: "Wrong username or password.", username };
    throw err;
  }
}

export async function signOutAction() {
  await signOut({ redirectTo: "/login" });
}
