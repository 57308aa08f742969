import { forbidden } from "next/navigation";
import type { ReactNode } from "react";
import { AdminShell } from "@/components/admin/admin-shell";
import { requirePageActor } from "@/lib/auth/current";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  if (actor.role !== "admin") forbidden();
  return <AdminShell>{children}</AdminShell>;
}
