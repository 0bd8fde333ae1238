-- The metadata of one Fanout instance. Table and column names follow what users of DBImport know.

CREATE TABLE configuration (
  config_key VARCHAR(100) NOT NULL PRIMARY KEY,
  config_value VARCHAR(4000),
  description VARCHAR(1000)
);

CREATE TABLE jdbc_connections (
  dbalias VARCHAR(128) NOT NULL PRIMARY KEY,
  jdbc_url VARCHAR(2000) NOT NULL,
  credentials VARCHAR(4000),
  max_import_sessions INT NOT NULL,
  created ${timestamp} NOT NULL
);

CREATE TABLE import_tables (
  table_id ${identity},
  hive_db VARCHAR(128) NOT NULL,
  hive_table VARCHAR(128) NOT NULL,
  dbalias VARCHAR(128) NOT NULL,
  source_schema VARCHAR(256),
  source_table VARCHAR(256) NOT NULL,
  import_phase_type VARCHAR(20) NOT NULL,
  etl_phase_type VARCHAR(30) NOT NULL,
  incr_mode VARCHAR(20),
  incr_column VARCHAR(256),
  incr_maxvalue VARCHAR(100),
  pk_column_override VARCHAR(2000),
  split_by_column VARCHAR(256),
  mappers INT NOT NULL,
  validate_diff_allowed BIGINT NOT NULL,
  copy_slave INT NOT NULL,
  copy_finished ${timestamp},
  source_rowcount BIGINT,
  hive_rowcount BIGINT,
  last_import_id VARCHAR(64),
  lock_owner VARCHAR(200),
  lock_expires ${timestamp},
  created ${timestamp} NOT NULL,
  CONSTRAINT import_tables_name UNIQUE (hive_db, hive_table)
);

CREATE TABLE import_columns (
  table_id BIGINT NOT NULL,
  column_name VARCHAR(256) NOT NULL,
  column_order INT NOT NULL,
  source_column_type VARCHAR(256) NOT NULL,
  jdbc_type INT NOT NULL,
  column_precision INT NOT NULL,
  column_scale INT NOT NULL,
  column_type VARCHAR(256) NOT NULL,
  source_primary_key INT,
  include_in_import INT NOT NULL,
  last_update_from_source ${timestamp} NOT NULL,
  PRIMARY KEY (table_id, column_name)
);

-- One row per staged import: written when the staging directory is complete (its manifest exists),
-- marked LOADED in the same transaction that moves the watermark.
CREATE TABLE staged_imports (
  import_id VARCHAR(64) NOT NULL PRIMARY KEY,
  table_id BIGINT NOT NULL,
  staging_path VARCHAR(2000) NOT NULL,
  state VARCHAR(20) NOT NULL,
  import_phase_type VARCHAR(20) NOT NULL,
  incr_minvalue VARCHAR(100),
  incr_maxvalue VARCHAR(100),
  source_rowcount BIGINT NOT NULL,
  staged_rowcount BIGINT NOT NULL,
  staged_bytes BIGINT NOT NULL,
  created ${timestamp} NOT NULL,
  loaded ${timestamp}
);

CREATE TABLE import_statistics (
  id ${identity},
  table_id BIGINT NOT NULL,
  hive_db VARCHAR(128) NOT NULL,
  hive_table VARCHAR(128) NOT NULL,
  import_id VARCHAR(64) NOT NULL,
  import_phase_type VARCHAR(20) NOT NULL,
  etl_phase_type VARCHAR(30) NOT NULL,
  incr_minvalue VARCHAR(100),
  incr_maxvalue VARCHAR(100),
  sessions INT NOT NULL,
  source_rowcount BIGINT NOT NULL,
  staged_rowcount BIGINT NOT NULL,
  loaded_rowcount BIGINT NOT NULL,
  hive_rowcount BIGINT NOT NULL,
  staged_bytes BIGINT NOT NULL,
  snapshot_id BIGINT,
  import_start ${timestamp} NOT NULL,
  stage_stop ${timestamp} NOT NULL,
  import_stop ${timestamp} NOT NULL
);
