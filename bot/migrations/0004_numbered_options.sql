-- Version 4: for messengers without buttons (Zalo). The choices last shown in a chat, so that a number
-- typed back picks one; and the ids of the messages already handled, so that a repeated update is ignored.
CREATE TABLE chat_options (
    channel       TEXT NOT NULL,
    chat_id       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    options       TEXT NOT NULL DEFAULT '[]',
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (channel, chat_id, user_id)
);

-- Only a message id (or a digest of it), never the text.
CREATE TABLE handled_updates (
    channel       TEXT NOT NULL,
    update_key    TEXT NOT NULL,
    handled_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (channel, update_key)
);
CREATE INDEX handled_updates_by_time ON handled_updates (handled_at);
