import { forbidden } from "next/navigation";
import { requirePageActor } from "@/lib/auth/current";

export default async function AdminPage() {
  const actor = await requirePageActor();
  if (actor.role !== "admin") forbidden();
  return (
    <main className="p-6">
      <h1 className="text-xl font-semibold">Admin console</h1>
      <p className="mt-2 text-slate-500">Revocations, receipt statistics, webhook deliveries and health appear here.</p>
    </main>
  );
}
