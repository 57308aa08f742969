import { redirect } from "next/navigation";
import { LoginForm } from "@/components/login-form";
import { currentActor, safeNext } from "@/lib/auth/current";
import { runtime } from "@/lib/config";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const raw = (await searchParams).next;
  const next = safeNext(typeof raw === "string" ? raw : null) ?? "/chat";
  if (await currentActor()) redirect(next);
  // Set by the server at start: the demo accounts exist only when the demo seed ran.
  const { demoSeed, demoPassword: password } = runtime();
  const demoPassword = demoSeed ? password : null;
  return (
    <main className="flex min-h-full items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-2xl bg-surface p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-2xl font-semibold">imdesk</h1>
        {demoPassword ? (
          <p className="mt-1 text-sm text-slate-600" data-testid="demo-hint">
            Demo users: alice, bob, carol, dave, admin — password <code className="rounded bg-slate-100 px-1">{demoPassword}</code>
          </p>
        ) : (
          <p className="mt-1 text-sm text-slate-600">Sign in with your account.</p>
        )}
        <LoginForm next={next} />
      </div>
    </main>
  );
}
