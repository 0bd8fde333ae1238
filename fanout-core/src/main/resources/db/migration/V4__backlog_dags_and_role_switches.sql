-- Copy rules that let increments queue up while their destination is away (the reverse rules a failover
-- makes), Airflow DAG definitions (the groups of tables a failover or a scheduler works on), and the
-- record of every failover and failback.

ALTER TABLE copy_tables ADD allow_backlog INT DEFAULT 0 NOT NULL;

CREATE TABLE airflow_dags (
  dag_name VARCHAR(100) NOT NULL PRIMARY KEY,
  table_filter VARCHAR(4000) NOT NULL,
  schedule_interval VARCHAR(100),
  pool VARCHAR(100),
  retries INT NOT NULL,
  created ${timestamp} NOT NULL
);

CREATE TABLE role_switches (
  switch_id ${identity},
  kind VARCHAR(16) NOT NULL,
  table_names VARCHAR(4000) NOT NULL,
  from_instance VARCHAR(64) NOT NULL,
  to_instance VARCHAR(64) NOT NULL,
  started ${timestamp} NOT NULL,
  finished ${timestamp}
);
