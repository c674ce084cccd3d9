-- Which header block of a document a party belongs to (offset of its From: line; -1 for
-- the metadata of the document itself), so that a thread's quoted messages stay apart.
ALTER TABLE email_parties ADD COLUMN block INTEGER NOT NULL DEFAULT -1;
