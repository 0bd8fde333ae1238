-- Asynchronous copy jobs (run by `fanout server`), their attempts, and the tokens of the server's API.

CREATE TABLE copy_jobs (
  job_id ${identity},
  table_id BIGINT NOT NULL,
  hive_db VARCHAR(256) NOT NULL,
  hive_table VARCHAR(256) NOT NULL,
  destination VARCHAR(64) NOT NULL,
  import_id VARCHAR(64) NOT NULL,
  -- the order of the jobs of one table to one destination: a job runs only when every lower one is done
  seq BIGINT NOT NULL,
  source_path VARCHAR(2000) NOT NULL,
  target_path VARCHAR(2000) NOT NULL,
  -- WAITING (for the local load) -> NEW -> RUNNING -> DONE, or FAILED (retried at next_attempt_ms), or
  -- SUPERSEDED (a later full import carries everything it would have)
  state VARCHAR(16) NOT NULL,
  attempts INT NOT NULL,
  last_error VARCHAR(4000),
  -- epoch milliseconds, so that leases and retries compare the same way on every database
  next_attempt_ms BIGINT NOT NULL,
  lease_owner VARCHAR(200),
  lease_expires_ms BIGINT,
  bytes_copied BIGINT NOT NULL,
  created ${timestamp} NOT NULL,
  started ${timestamp},
  finished ${timestamp},
  CONSTRAINT copy_jobs_order UNIQUE (table_id, destination, seq)
);

CREATE INDEX copy_jobs_by_state ON copy_jobs (state, next_attempt_ms);
CREATE INDEX copy_jobs_by_import ON copy_jobs (import_id);

-- One row per attempt: who ran it, when, and how it ended; shows that no job ran twice at once.
CREATE TABLE copy_job_runs (
  run_id ${identity},
  job_id BIGINT NOT NULL,
  lease_owner VARCHAR(200) NOT NULL,
  started ${timestamp} NOT NULL,
  ended ${timestamp},
  outcome VARCHAR(16),
  error VARCHAR(4000),
  bytes_copied BIGINT
);

CREATE INDEX copy_job_runs_by_job ON copy_job_runs (job_id);

-- Bearer tokens of the server's HTTP API: only their SHA-256 is stored.
CREATE TABLE api_tokens (
  token_id ${identity},
  token_hash VARCHAR(64) NOT NULL UNIQUE,
  created ${timestamp} NOT NULL,
  expires ${timestamp} NOT NULL
);
