-- What each 'fanout verify' found, so a table's page shows its checks over time: which instances were
-- compared (and whether the source too), whether they agreed, and each place's row count (UTC times).
CREATE TABLE verify_results (
  result_id ${identity},
  -- the imported table's id, or null for a table that is only mirrored here
  table_id BIGINT,
  hive_db VARCHAR(256) NOT NULL,
  hive_table VARCHAR(256) NOT NULL,
  instances VARCHAR(2000) NOT NULL,
  with_source INT NOT NULL,
  -- AGREE or DIFFER
  outcome VARCHAR(16) NOT NULL,
  -- "place=rows" for each place, comma separated, "place=unreadable (why)" for one that could not be read
  row_counts VARCHAR(4000) NOT NULL,
  differences VARCHAR(4000),
  verified ${timestamp} NOT NULL
);

CREATE INDEX verify_results_by_table ON verify_results (hive_db, hive_table);
