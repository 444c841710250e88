-- Version 6: the officers' inbox. Unanswered questions are grouped alike (a group holds the folded forms of
-- its questions); a group is answered (a new FAQ entry), attached to an entry, or dismissed. Whom to tell
-- when a group is answered is kept apart from the question log, only until the answer has gone out.

CREATE TABLE inbox_groups (
    id          INTEGER PRIMARY KEY,
    state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'attached', 'dismissed')),
    entry_id    TEXT,
    created_at  TEXT NOT NULL,
    closed_at   TEXT,
    closed_by   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE inbox_keys (
    normalized  TEXT PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES inbox_groups(id),
    since       TEXT NOT NULL DEFAULT ''  -- questions asked after this count for the group (a reopened one)
);
CREATE INDEX inbox_keys_by_group ON inbox_keys (group_id);

-- The chat a still-unanswered question came from (never a name), the question as logged (masked).
CREATE TABLE inbox_askers (
    id              INTEGER PRIMARY KEY,
    normalized      TEXT NOT NULL,
    channel         TEXT NOT NULL,
    chat_external_id TEXT NOT NULL,
    question        TEXT NOT NULL,
    asked_at        TEXT NOT NULL
);
CREATE INDEX inbox_askers_by_key ON inbox_askers (normalized);

CREATE INDEX question_log_by_key ON question_log (normalized, asked_at);

-- A notice to one chat (an answer to its question, a returned report) rides the broadcast engine with a
-- text of its own, and its own choices (JSON rows of [label, button data]).
ALTER TABLE deliveries ADD COLUMN text TEXT;
ALTER TABLE deliveries ADD COLUMN buttons TEXT;
