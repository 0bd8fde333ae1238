-- The engine that runs a table's stage step: 'local' (Fanout's split sessions in the importing process) or
-- 'spark' (a Spark job). NULL: the instance's default (stage.engine in fanout.properties).

ALTER TABLE import_tables ADD stage_engine VARCHAR(16);
