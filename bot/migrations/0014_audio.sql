-- Version 14: the loudspeaker bulletin's audio. A broadcast may carry a spoken bulletin (the key of its
-- OGG/Opus file among Loa's audio files), sent after the text to the deliveries marked for it; a subscribed
-- chat may ask for the talking points as audio too.
ALTER TABLE broadcasts ADD COLUMN audio TEXT;
ALTER TABLE deliveries ADD COLUMN audio INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN audio INTEGER NOT NULL DEFAULT 0;
