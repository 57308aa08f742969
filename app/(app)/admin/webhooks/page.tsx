import { Webhooks } from "@/components/admin/webhooks";

export default function AdminWebhooksPage() {
  return <Webhooks />;
}
