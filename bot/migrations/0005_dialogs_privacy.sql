-- Version 5: dialogs that expire and park, the name people confirm kept apart from the messenger's display
-- name, groups bound to a unit only by an officer, the question log scoped by the asker's unit, invites used
-- once per person.

-- The name confirmed at registration; display_name stays what the messenger shows.
ALTER TABLE users ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
UPDATE users SET full_name = display_name WHERE role != 'anyone';

-- Who bound a group to its unit: an officer (channel:user_id). Officers' broadcasts reach only bound groups.
ALTER TABLE chats ADD COLUMN unit_bound_by TEXT;

-- The unit of the person who asked (never who), so an officer sees the questions of their own scope.
ALTER TABLE question_log ADD COLUMN unit_code TEXT;
CREATE INDEX question_log_by_time ON question_log (asked_at);

-- Drafts put aside (a report idle too long, or left for another dialog), to resume later.
CREATE TABLE parked_dialogs (
    channel       TEXT NOT NULL,
    chat_id       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    flow          TEXT NOT NULL,
    step          TEXT NOT NULL,
    data          TEXT NOT NULL DEFAULT '{}',
    parked_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (channel, chat_id, user_id, flow)
);

-- Who used which invite: one use per person.
CREATE TABLE invite_uses (
    code          TEXT NOT NULL REFERENCES invites(code),
    channel       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    used_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (code, channel, user_id)
);

-- Counting an actor's recent actions (wrong invite codes) without a scan.
CREATE INDEX audit_by_actor ON audit (actor, action, at);
