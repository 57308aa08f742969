import { Revocations } from "@/components/admin/revocations";

export default async function AdminRevocationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <Revocations initial={await searchParams} />;
}
