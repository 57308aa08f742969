-- The Socket.IO Postgres adapter (CLUSTER=postgres) sends payloads over its
-- NOTIFY size limit through this table; the adapter cleans it up itself.
CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id bigserial UNIQUE,
  created_at timestamptz DEFAULT NOW(),
  payload bytea
);
