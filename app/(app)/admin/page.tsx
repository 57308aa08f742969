import { Overview } from "@/components/admin/overview";

export default function AdminOverviewPage() {
  return <Overview />;
}
