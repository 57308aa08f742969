// `import { createClient, call } from "imdesk/client"` (package.json exports):
// the typed client for scripts, tests and integrations. Browser-safe.

export type * from "@/lib/contracts/admin";
export type * from "@/lib/contracts/chat";
export type { AppType } from "@/lib/http/app";
export { type Answer, type ApiClient, ClientApiError, call, createClient } from "./api";
