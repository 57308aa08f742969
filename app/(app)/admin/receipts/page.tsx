import { ReceiptStats } from "@/components/admin/receipts";

export default function AdminReceiptStatsPage() {
  return <ReceiptStats />;
}
