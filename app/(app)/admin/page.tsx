import { OverviewPage } from "@/components/admin/overview";

export default function AdminOverviewPage() {
  return <OverviewPage />;
}
