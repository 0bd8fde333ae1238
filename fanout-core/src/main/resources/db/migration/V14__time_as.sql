-- How a source TIME lands: 'string' (its text, readable by every engine; the default of new tables) or
-- 'time' (Iceberg's time type, which Spark 3.5 refuses). Tables configured before keep the type they have.

ALTER TABLE import_tables ADD time_as VARCHAR(8) DEFAULT 'string' NOT NULL;
UPDATE import_tables SET time_as = 'time';
