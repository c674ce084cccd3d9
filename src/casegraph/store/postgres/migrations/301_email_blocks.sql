-- As store/migrations/301_email_blocks.sql.
ALTER TABLE email_parties ADD COLUMN block INTEGER NOT NULL DEFAULT -1;
