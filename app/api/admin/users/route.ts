import { handler } from "@/lib/api/handler";
import { json } from "@/lib/api/respond";
import { createUser, createUserSchema, listUsers, usersQuerySchema } from "@/lib/admin/users";

export const GET = handler({ access: "admin", query: usersQuerySchema }, ({ query }) => listUsers(query));

export const POST = handler({ access: "admin", body: createUserSchema }, async ({ body }) => json(await createUser(body), 201));
