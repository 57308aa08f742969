export interface Me {
  uid: string;
  name: string;
  role: "user" | "admin";
}
