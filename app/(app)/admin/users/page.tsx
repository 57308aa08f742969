import { Users } from "@/components/admin/users";

export default function AdminUsersPage() {
  return <Users />;
}
