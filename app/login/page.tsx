import { redirect } from "next/navigation";
import { LoginForm } from "@/components/login-form";
import { currentActor } from "@/lib/auth/current";

export default async function LoginPage() {
  if (await currentActor()) redirect("/chat");
  return (
    <main className="flex min-h-full items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-2xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-2xl font-semibold">imdesk</h1>
        <p className="mt-1 text-sm text-slate-500">Sign in to the demo chat. Demo users: alice, bob, carol, dave, admin.</p>
        <LoginForm />
      </div>
    </main>
  );
}
