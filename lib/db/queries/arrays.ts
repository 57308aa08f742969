import { type SQL, sql } from "drizzle-orm";

// One array parameter each (postgres.js serialises JS arrays), not one
// parameter per element: a page of ids costs one bind, not hundreds.
const arrayOf =
  (type: string) =>
  (values: readonly (string | number)[]): SQL =>
    sql`${sql.param(values)}::${sql.raw(type)}[]`;

export const textArray = arrayOf("text");
export const bigintArray = arrayOf("int8");
