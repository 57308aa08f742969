import { type SQL, sql } from "drizzle-orm";

// Typed array literals for unnest(): drizzle expands a JS array into a list of
// parameters, so we wrap them in ARRAY[...] with an explicit element type.
const arrayOf = (type: string) => (values: readonly (string | number)[]): SQL =>
  values.length === 0
    ? sql.raw(`'{}'::${type}[]`)
    : sql`array[${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}]::${sql.raw(type)}[]`;

export const textArray = arrayOf("text");
export const bigintArray = arrayOf("int8");
