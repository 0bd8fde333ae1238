-- Table syncs (`fanout sync`): per lake table and destination, the source table it was synced from, the
-- source snapshot up to which every change is on the destination, what the last sync did, and the lease
-- of the sync running now (so that two syncs of one table to one destination never run at once).
CREATE TABLE table_syncs (
  sync_id ${identity},
  hive_db VARCHAR(128) NOT NULL,
  hive_table VARCHAR(128) NOT NULL,
  destination VARCHAR(64) NOT NULL,
  source_uuid VARCHAR(64),
  synced_snapshot_id BIGINT,
  target_snapshot_id BIGINT,
  last_mode VARCHAR(16),
  files_copied BIGINT DEFAULT 0 NOT NULL,
  bytes_copied BIGINT DEFAULT 0 NOT NULL,
  synced_at ${timestamp},
  lease_owner VARCHAR(200),
  lease_expires_ms BIGINT,
  CONSTRAINT table_syncs_pair UNIQUE (hive_db, hive_table, destination)
);

-- Sync on commit (`fanout sync-rule add`): the server syncs every new snapshot of the matching tables.
CREATE TABLE sync_rules (
  rule_id ${identity},
  table_filter VARCHAR(4000) NOT NULL,
  destination VARCHAR(64) NOT NULL,
  created ${timestamp} NOT NULL
);

-- Copy jobs also run syncs: job_kind SYNC, with table_id = -sync_id (import jobs have the positive
-- import_tables id), so that the syncs of one table to one destination keep their order too.
ALTER TABLE copy_jobs ADD job_kind VARCHAR(8) DEFAULT 'IMPORT' NOT NULL;
