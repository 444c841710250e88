-- Version 11: what a report says beyond its built-in fields (bot/report_fields.py declares them), as JSON.
ALTER TABLE reports ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
