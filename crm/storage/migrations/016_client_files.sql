-- Client files (issue 12): photos, voice notes, documents, videos, video notes, audio and
-- shared contacts a client sent (or a salesperson forwarded), kept on the item's
-- conversation by Telegram's file_id (nothing is downloaded). Each has its line on the
-- timeline (kind 'client_file', text: the caption); a shared contact has no file_id but a
-- phone number and the name in file_name.
CREATE TABLE client_files (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    timeline_id     INTEGER REFERENCES timeline(id) ON DELETE SET NULL,
    at              TEXT    NOT NULL,
    kind            TEXT    NOT NULL,       -- photo, voice, document, video, video_note, audio, contact
    file_id         TEXT,                   -- Telegram's, to send it again; NULL for a contact
    file_unique_id  TEXT,
    caption         TEXT    NOT NULL DEFAULT '',
    file_name       TEXT,                   -- a document's or audio's name; a contact's name
    mime_type       TEXT,
    file_size       INTEGER,
    phone           TEXT,                   -- a shared contact's number
    forwarded_by    INTEGER                 -- the staff member who forwarded it; NULL: the client sent it
);
-- /files <item>: an item's files newest first, by this index (also the converted lead's).
CREATE INDEX client_files_by_item ON client_files(item_id, id);
-- the conversation view finds the file of each of its lines.
CREATE INDEX client_files_by_timeline ON client_files(timeline_id);
