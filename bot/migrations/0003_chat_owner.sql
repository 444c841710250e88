-- Version 3: a private chat knows whose it is (a messenger's chat id need not equal the user id),
-- so broadcasts can select private chats by the person's role and unit.
ALTER TABLE chats ADD COLUMN user_external_id TEXT;
UPDATE chats SET user_external_id = external_id WHERE chat_type = 'private';
