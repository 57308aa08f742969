// `import { createClient, call } from "imdesk/client"` (package.json exports):
// the typed client for scripts, tests and integrations. Browser-safe.
export { type Answer, type ApiClient, call, ClientApiError, createClient } from "./api";
export type { AppType } from "@/lib/http/app";
export type * from "@/lib/contracts/admin";
export type * from "@/lib/contracts/chat";
