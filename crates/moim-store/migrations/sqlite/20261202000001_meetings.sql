-- Who gets into a meeting of `/moim` and what they may do (docs/protocol.md,
-- "Hosts and guests"). Keys are SHA-256 hashes of the browsers' secret keys;
-- the passcode is a salted PBKDF2 hash. Kept here so that a restart or a dead
-- node never unlocks a meeting or forgets its host.
CREATE TABLE meetings (
    room         TEXT    NOT NULL PRIMARY KEY,
    listed       BOOLEAN NOT NULL,
    locked       BOOLEAN NOT NULL,
    allow_unmute BOOLEAN NOT NULL,
    passcode     TEXT,
    created_at   BIGINT  NOT NULL, -- ms since the Unix epoch
    used_at      BIGINT  NOT NULL  -- last join; old unused meetings are pruned
);
CREATE INDEX meetings_listed ON meetings (listed);
CREATE INDEX meetings_used ON meetings (used_at);
-- Hosts and co-hosts by key.
CREATE TABLE meeting_grants (
    room     TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    role     TEXT NOT NULL, -- 'host' | 'cohost'
    PRIMARY KEY (room, key_hash)
);
-- Keys a host removed.
CREATE TABLE meeting_removals (
    room     TEXT   NOT NULL,
    key_hash TEXT   NOT NULL,
    at       BIGINT NOT NULL,
    PRIMARY KEY (room, key_hash)
);
-- People waiting in a lobby (shared by a cluster's nodes). `participant` is
-- the knocking connection's participant id; `admitted` lets that connection
-- in once.
CREATE TABLE meeting_lobby (
    room        TEXT    NOT NULL,
    participant TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    key_hash    TEXT    NOT NULL,
    since       BIGINT  NOT NULL,
    removed     BOOLEAN NOT NULL,
    admitted    BOOLEAN NOT NULL,
    node        TEXT    NOT NULL,
    PRIMARY KEY (room, participant)
);
-- Secrets every node shares and keeps across restarts (the key that signs
-- invitation links).
CREATE TABLE server_secrets (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
