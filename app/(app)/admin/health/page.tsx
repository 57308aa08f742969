import { Health } from "@/components/admin/health";

export default function AdminHealthPage() {
  return <Health />;
}
