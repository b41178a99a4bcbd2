-- Team chats: groups the bot was added to, where rules may post notifications.
CREATE TABLE team_chats (
    chat_id   INTEGER PRIMARY KEY,
    title     TEXT    NOT NULL,
    active    INTEGER NOT NULL DEFAULT 1,          -- 0 once the bot was removed from the group
    added_by  INTEGER,
    added_at  TEXT    NOT NULL
);
