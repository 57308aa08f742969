import type postgres from "postgres";
import { issueBearerToken } from "@/lib/auth/tokens";

/** Bulk fixtures written straight into the database: the benchmark measures the app, not its setup. */
export async function seedUsers(sql: postgres.Sql, uids: string[]) {
  const [{ password_hash }] = await sql`select password_hash from users where uid = 'alice'`;
  for (let i = 0; i < uids.length; i += 5000) {
    const chunk = uids.slice(i, i + 5000).map((uid) => ({ uid, name: uid, password_hash, role: "user" }));
    await sql`insert into users ${sql(chunk)} on conflict do nothing`;
  }
}

export async function seedGroup(sql: postgres.Sql, channelId: string, owner: string, members: string[]) {
  await sql`insert into channels (channel_id, channel_type, name, created_by) values (${channelId}, 2, ${channelId}, ${owner})`;
  const rows = [owner, ...members].map((uid, i) => ({
    channel_id: channelId,
    uid,
    role: i === 0 ? "owner" : "member",
    joined_seq: 0,
    last_read_seq: 0,
  }));
  for (let i = 0; i < rows.length; i += 5000) await sql`insert into channel_members ${sql(rows.slice(i, i + 5000))}`;
}

/** n messages from one sender, seq 1..n, written in one statement. */
export async function seedMessages(sql: postgres.Sql, channelId: string, fromUid: string, n: number) {
  await sql`
    insert into messages (channel_id, message_seq, message_id, client_msg_no, from_uid, channel_type, sent_at, payload)
    select ${channelId}, g, (2000000000000000000 + g)::text, 'seed-' || g, ${fromUid}, 2,
           now() - interval '1 day' + g * interval '1 ms', '{"type":1,"content":"benchmark message"}'::jsonb
      from generate_series(1, ${n}::int) g`;
  await sql`update channels set last_message_seq = ${n} where channel_id = ${channelId}`;
  await sql`analyze messages`;
}

export async function tokensFor(uids: string[]) {
  return Promise.all(uids.map((uid) => issueBearerToken({ uid, role: "user" })));
}
