-- Attribution (analysis stage): each quote's source as the text names it ("she", "the
-- ambassador"; speaker_mention is the named person it resolves to), its cue, its form
-- (direct | indirect | mixed), the model's confidence, and the role of the text it lies in.
ALTER TABLE quotes ADD COLUMN source_start INTEGER;
ALTER TABLE quotes ADD COLUMN source_end INTEGER;
ALTER TABLE quotes ADD COLUMN source_text TEXT NOT NULL DEFAULT '';
ALTER TABLE quotes ADD COLUMN cue_start INTEGER;
ALTER TABLE quotes ADD COLUMN cue_end INTEGER;
ALTER TABLE quotes ADD COLUMN form TEXT NOT NULL DEFAULT '';
ALTER TABLE quotes ADD COLUMN score REAL NOT NULL DEFAULT 0;
ALTER TABLE quotes ADD COLUMN speaker_how TEXT NOT NULL DEFAULT '';

-- Text inside text: stretches of a document by origin. role: authored (the document's own
-- author or sender), forwarded (a forwarded message), quoted (a reply's quoted history, a
-- letter quoted in a filing), pasted (a news story pasted into an e-mail), narration (the
-- narration of a pasted story: nobody's statement). author: who wrote it, when known.
CREATE TABLE text_roles (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number  INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    role    TEXT NOT NULL,
    author  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (doc_id, number)
);
