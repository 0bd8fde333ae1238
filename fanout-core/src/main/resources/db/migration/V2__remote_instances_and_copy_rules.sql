-- Remote instances (other clusters' Fanout installations) and the rules that copy tables to them.

CREATE TABLE dbimport_instances (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  db_url VARCHAR(2000) NOT NULL,
  db_credentials VARCHAR(4000) NOT NULL,
  hdfs_address VARCHAR(1000) NOT NULL,
  hdfs_basedir VARCHAR(1000) NOT NULL,
  sync_credentials INT NOT NULL,
  -- the remote instance's credential key, sealed with this instance's key; needed only to hand source
  -- credentials over (sync_credentials = 1), so the remote can decrypt them with its own key
  remote_key VARCHAR(4000),
  -- bytes per second all copies to this instance may use together; NULL for no limit
  copy_bandwidth BIGINT,
  created ${timestamp} NOT NULL
);

CREATE TABLE copy_tables (
  copy_id ${identity},
  hive_filter VARCHAR(4000) NOT NULL,
  destination VARCHAR(64) NOT NULL,
  data_transfer VARCHAR(20) NOT NULL,
  created ${timestamp} NOT NULL
);
