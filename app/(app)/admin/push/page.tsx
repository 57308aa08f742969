import { PushLog } from "@/components/admin/push";

export default function AdminPushLogPage() {
  return <PushLog />;
}
