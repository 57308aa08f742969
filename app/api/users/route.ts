import { handler } from "@/lib/api/handler";
import { listDirectory } from "@/lib/chat/channels";

/** The directory of people one can message or add to a group. */
export const GET = handler({ access: "user" }, async () => ({ users: await listDirectory() }));
