-- Version 9: the officers' web console. A one-time login link (its token hashed) opens a session (its id
-- hashed), which carries the CSRF token of its forms.
CREATE TABLE web_links (
    token_hash  TEXT PRIMARY KEY,
    actor       TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE TABLE web_sessions (
    id_hash     TEXT PRIMARY KEY,
    actor       TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
