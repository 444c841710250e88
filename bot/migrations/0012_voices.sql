-- Version 12: what residents ask and worry about, one row per item, as heard by a propagandist (in a report's
-- residents' step, or «dân hỏi: …» in chat). Never who said it or who passed it on: the village it was heard
-- in, the words with names and phone numbers masked, and whether an answer has gone back.
CREATE TABLE voices (
    id            INTEGER PRIMARY KEY,
    heard_at      TEXT NOT NULL,              -- UTC stamp of the capture
    heard_on      TEXT NOT NULL,              -- local date it was heard (a report's activity date)
    unit_code     TEXT NOT NULL,              -- the village (or commune) whose residents said it
    commune_code  TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('report', 'chat')),
    report_id     INTEGER,
    text          TEXT NOT NULL,              -- masked
    normalized    TEXT NOT NULL,              -- folded, masked words left out (the inbox's key)
    answered      INTEGER NOT NULL DEFAULT 0  -- 0 waiting, 1 Loa answered at once, 2 officers answered later
);
CREATE INDEX voices_by_day ON voices (heard_on);
CREATE INDEX voices_by_report ON voices (report_id);
CREATE INDEX voices_by_key ON voices (normalized);

-- A question residents asked, waiting in the inbox: the village's code, so the answer goes back as theirs.
ALTER TABLE inbox_askers ADD COLUMN residents TEXT NOT NULL DEFAULT '';
