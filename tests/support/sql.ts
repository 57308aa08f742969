import postgres from "postgres";

/** A one-connection client to a test database, for looking behind the API (end() it). */
export function openSql(url: string) {
  return postgres(url, { max: 1, onnotice: () => {} });
}

/** Runs fn with a client of its own, closed afterwards even when fn throws. */
export async function withSql<T>(url: string, fn: (s: postgres.Sql) => Promise<T>): Promise<T> {
  const s = openSql(url);
  try {
    return await fn(s);
  } finally {
    await s.end();
  }
}
