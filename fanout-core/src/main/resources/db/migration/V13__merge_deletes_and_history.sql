-- What a merge does with keys that left the source ('none': upsert only, 'detect': delete them), and whether
-- the import keeps a <table>_history audit table of every inserted, updated and deleted row version.

ALTER TABLE import_tables ADD merge_deletes VARCHAR(16) DEFAULT 'none' NOT NULL;
ALTER TABLE import_tables ADD history_table INT DEFAULT 0 NOT NULL;
