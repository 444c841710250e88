-- Loa schema, version 1. Later migrations add columns and tables; never edit an applied migration.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT 'anyone'
                  CHECK (role IN ('anyone', 'propagandist', 'officer', 'admin')),
    unit_code     TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (channel, external_id)
);

CREATE TABLE chats (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    chat_type     TEXT NOT NULL DEFAULT 'private' CHECK (chat_type IN ('private', 'group')),
    title         TEXT NOT NULL DEFAULT '',
    unit_code     TEXT,
    subscribed    INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (channel, external_id)
);

-- Activity reports: what was done, never who among residents said what.
CREATE TABLE reports (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    activity_date TEXT NOT NULL,
    form          TEXT NOT NULL,
    unit_code     TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    attendees     INTEGER NOT NULL CHECK (attendees BETWEEN 1 AND 5000),
    topics        TEXT NOT NULL DEFAULT '[]',
    concerns      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX reports_by_date ON reports (activity_date);
CREATE INDEX reports_by_user ON reports (user_id, activity_date);

-- A half-finished conversation (a report being filled in), per chat and user, on any channel.
CREATE TABLE dialog_state (
    channel       TEXT NOT NULL,
    chat_id       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    flow          TEXT NOT NULL,
    step          TEXT NOT NULL,
    data          TEXT NOT NULL DEFAULT '{}',
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (channel, chat_id, user_id)
);

CREATE TABLE broadcasts (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('scheduled', 'adhoc')),
    text            TEXT NOT NULL,
    audience        TEXT NOT NULL DEFAULT '{}',
    send_at         TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending',
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    broadcast_id  INTEGER NOT NULL REFERENCES broadcasts(id),
    chat_id       INTEGER NOT NULL REFERENCES chats(id),
    status        TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    sent_at       TEXT,
    UNIQUE (broadcast_id, chat_id)
);
CREATE INDEX deliveries_pending ON deliveries (status, broadcast_id);

-- Questions and what the matcher did with them; no user id, only the channel.
CREATE TABLE question_log (
    id            INTEGER PRIMARY KEY,
    asked_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    channel       TEXT NOT NULL,
    question      TEXT NOT NULL,
    normalized    TEXT NOT NULL,
    status        TEXT NOT NULL,
    entry_id      TEXT,
    score         REAL NOT NULL DEFAULT 0
);
CREATE INDEX question_log_by_status ON question_log (status, asked_at);

CREATE TABLE invites (
    code          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('propagandist', 'officer')),
    unit_code     TEXT NOT NULL,
    uses_left     INTEGER NOT NULL DEFAULT 1,
    expires_at    TEXT,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE audit (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    detail        TEXT NOT NULL DEFAULT '{}'
);
