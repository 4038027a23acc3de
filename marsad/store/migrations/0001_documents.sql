-- marsad schema 1: raw inputs, documents, where they were seen, cleaned articles, failures.

CREATE TABLE raw (
    sha256  TEXT PRIMARY KEY,          -- hash of the exact input bytes
    size    INTEGER NOT NULL,
    data    BLOB NOT NULL               -- the input, byte for byte
);

CREATE TABLE documents (
    id               INTEGER PRIMARY KEY,
    sha256           TEXT NOT NULL UNIQUE REFERENCES raw(sha256),
    source           TEXT NOT NULL,      -- path, '<stdin>' or URL where first seen
    record           INTEGER NOT NULL DEFAULT 0,  -- line or record number inside the source
    fmt              TEXT NOT NULL,
    url              TEXT,
    external_id      TEXT,
    ingested_at      TEXT NOT NULL,
    previous_version INTEGER REFERENCES documents(id)  -- same URL, earlier content
);
CREATE INDEX documents_url ON documents(url) WHERE url IS NOT NULL;
CREATE INDEX documents_external_id ON documents(external_id) WHERE external_id IS NOT NULL;

CREATE TABLE sightings (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    source      TEXT NOT NULL,
    record      INTEGER NOT NULL DEFAULT 0,
    seen_at     TEXT NOT NULL,
    UNIQUE (document_id, source, record)
);

CREATE TABLE articles (
    document_id  INTEGER PRIMARY KEY REFERENCES documents(id),
    title        TEXT,
    outlet       TEXT,
    author       TEXT,
    published    TEXT,                   -- ISO 8601, as precise as the source says
    lang         TEXT,
    encoding     TEXT,
    n_removed    INTEGER NOT NULL DEFAULT 0,
    clean_text   TEXT NOT NULL,
    data         TEXT NOT NULL           -- the whole Article record as JSON
);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE failures (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    record     INTEGER NOT NULL DEFAULT 0,
    sha256     TEXT NOT NULL DEFAULT '',
    stage      TEXT NOT NULL,
    code       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    severity   TEXT NOT NULL DEFAULT 'error',
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, record, sha256, stage, reason)
);
