-- Read cursors are updated constantly. Free space on each page keeps those
-- updates HOT (no index touches; last_read_seq is deliberately not indexed),
-- and an eager autovacuum clears the dead row versions they leave behind.
ALTER TABLE "channel_members" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
