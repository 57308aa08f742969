import { handler } from "@/lib/api/handler";
import { db } from "@/lib/db/client";
import { listActiveUsers } from "@/lib/db/queries/users";

/** The directory of people one can add to a group. */
export const GET = handler({ access: "user" }, async () => ({ users: await listActiveUsers({ db: db() }) }));
