import { Revocations } from "@/components/admin/revocations";

export default function AdminRevocationsPage() {
  return <Revocations />;
}
