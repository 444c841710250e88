-- Version 7: officers review reports. A report is submitted, then accepted or returned with a reason; a
-- returned report edited by its reporter is submitted again (the officer who returned it is told).
-- Returned reports are not counted until resubmitted; withdrawn ones stay as they were (status).
ALTER TABLE reports ADD COLUMN review TEXT NOT NULL DEFAULT 'submitted';
ALTER TABLE reports ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN reviewed_at TEXT;
ALTER TABLE reports ADD COLUMN returned_by TEXT NOT NULL DEFAULT '';
CREATE INDEX reports_by_review ON reports (review, activity_date);
