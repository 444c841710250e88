-- Version 2: reports keep the commune they count for (units can be renamed or merged later),
-- when they were last edited; users keep when they registered.
ALTER TABLE reports ADD COLUMN commune_code TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN edited_at TEXT;
ALTER TABLE users ADD COLUMN registered_at TEXT;
CREATE INDEX reports_by_commune ON reports (commune_code, activity_date);
