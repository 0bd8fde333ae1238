-- The engine that copies staging directories to a remote instance: 'local' (Fanout's parallel copier in
-- the copying process), 'distcp' (Hadoop DistCp with the local job runner, in that process) or
-- 'distcp-yarn' (DistCp submitted to the YARN cluster of HADOOP_CONF_DIR).

ALTER TABLE dbimport_instances ADD copy_engine VARCHAR(16) DEFAULT 'local' NOT NULL;
