-- Room chat. `space` keeps the course's rooms (namespace `/`) apart from
-- moim's meetings (`/moim`): the same name may exist in both.
-- AUTOINCREMENT: ids never come back after retention deletes the newest
-- rows, so a client's paging cursor can never point at a different message.
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    space       TEXT    NOT NULL,
    room        TEXT    NOT NULL,
    author_id   TEXT    NOT NULL,
    author_name TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    ts          INTEGER NOT NULL -- ms since the Unix epoch
);
-- Paging: the newest messages of one room before a given id.
CREATE INDEX messages_by_room ON messages (space, room, id);
-- Retention by age.
CREATE INDEX messages_by_ts ON messages (ts);
