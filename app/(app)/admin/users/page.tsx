import { Users } from "@/components/admin/users";
import { requirePageActor } from "@/lib/auth/current";

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const actor = await requirePageActor();
  const { q } = await searchParams;
  return <Users meUid={actor.uid} initialSearch={typeof q === "string" ? q : ""} />;
}
