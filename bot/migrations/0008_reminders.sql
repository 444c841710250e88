-- Version 8: an officer's weekly digest can be stopped (/huynhan in their private chat) and started again.
ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 1;
CREATE INDEX reports_by_user_date ON reports (user_id, activity_date);
