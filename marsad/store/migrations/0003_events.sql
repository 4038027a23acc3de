-- marsad schema 3: events extracted per article, their parties, topics and evidence.

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    event_key      TEXT NOT NULL UNIQUE,      -- Event.id: stable across re-runs
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    type           TEXT NOT NULL,             -- visit | reception | meeting
    status         TEXT NOT NULL,             -- happened | planned
    salience       TEXT NOT NULL DEFAULT 'main',
    actor_entity   TEXT,
    actor_name     TEXT,
    actor_country  TEXT,
    host_country   TEXT,
    city           TEXT,
    start          TEXT,                      -- ISO 8601, --MM-DD, or NULL
    "end"          TEXT,
    date_precision TEXT,
    confidence     REAL NOT NULL DEFAULT 0.5,
    story_id       TEXT,
    data           TEXT NOT NULL              -- the whole Event record as JSON
);
CREATE INDEX events_document ON events(document_id);
CREATE INDEX events_actor ON events(actor_entity);
CREATE INDEX events_host ON events(host_country);
CREATE INDEX events_start ON events(start);
CREATE INDEX events_story ON events(story_id);

CREATE TABLE event_parties (
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,                 -- actor | counterpart | inviter
    entity_id  TEXT,
    name       TEXT,
    title      TEXT,
    country    TEXT
);
CREATE INDEX event_parties_entity ON event_parties(entity_id);
CREATE INDEX event_parties_event ON event_parties(event_id);

CREATE TABLE event_topics (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    topic    TEXT NOT NULL,
    PRIMARY KEY (event_id, topic)
);
CREATE INDEX event_topics_topic ON event_topics(topic);
