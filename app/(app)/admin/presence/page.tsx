import { Presence } from "@/components/admin/presence";

export default function AdminPresencePage() {
  return <Presence />;
}
