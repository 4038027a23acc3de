-- marsad schema 4: stories (every report of one real-world event), near-duplicates, fusion.
-- Story tables key events by event_key (Event.id), which is stable across re-runs, and have no
-- foreign keys to `events`: re-extraction replaces event rows and the story stage catches up.

-- One MinHash signature per document (content hash), and its LSH band keys.
CREATE TABLE story_docs (
    doc        TEXT PRIMARY KEY,           -- documents.sha256 = Event.doc_id
    signature  BLOB NOT NULL               -- MinHash values, uint64
);
CREATE TABLE story_bands (
    band  TEXT NOT NULL,                   -- "<band number>:<hash of the band's rows>"
    doc   TEXT NOT NULL,
    PRIMARY KEY (band, doc)
) WITHOUT ROWID;

-- Near-duplicate documents (syndicated copies, re-posts): linked, never deleted.
CREATE TABLE near_duplicates (
    doc_a    TEXT NOT NULL,                -- the smaller content hash
    doc_b    TEXT NOT NULL,
    jaccard  REAL NOT NULL,                -- estimated Jaccard similarity of word shingles
    PRIMARY KEY (doc_a, doc_b)
) WITHOUT ROWID;
CREATE INDEX near_duplicates_b ON near_duplicates(doc_b);

-- The clustering view of each event (marsad.cluster.items.StoryItem) and its embedding.
CREATE TABLE story_items (
    event_key    TEXT PRIMARY KEY,
    doc          TEXT NOT NULL,
    event_row    INTEGER,                  -- events.id when the item was built
    fingerprint  TEXT NOT NULL,            -- hash of the event record: re-extraction changes it
    data         TEXT NOT NULL,            -- StoryItem as JSON
    vector       BLOB                      -- sentence embedding, float16
);
CREATE INDEX story_items_doc ON story_items(doc);

-- Blocking keys: "<party key>|<time bucket>" (index side) and party keys.
CREATE TABLE story_keys (
    key        TEXT NOT NULL,
    event_key  TEXT NOT NULL,
    PRIMARY KEY (key, event_key)
) WITHOUT ROWID;
CREATE INDEX story_keys_event ON story_keys(event_key);
CREATE TABLE story_parties (
    party      TEXT NOT NULL,
    event_key  TEXT NOT NULL,
    PRIMARY KEY (party, event_key)
) WITHOUT ROWID;
CREATE INDEX story_parties_event ON story_parties(event_key);

-- Evidence that two events report one happening (a < b).
CREATE TABLE story_links (
    a      TEXT NOT NULL,
    b      TEXT NOT NULL,
    score  REAL NOT NULL,
    rule   TEXT NOT NULL,                  -- T1..T4, same_article, near_duplicate
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX story_links_b ON story_links(b);

-- Stories and the event fused from their reports.
CREATE TABLE stories (
    id            TEXT PRIMARY KEY,
    n_events      INTEGER NOT NULL,
    n_documents   INTEGER NOT NULL,
    host_country  TEXT,
    actor_name    TEXT,
    start         TEXT,                    -- fused start, ISO 8601 or --MM-DD
    "end"         TEXT,
    fused         TEXT NOT NULL,           -- the fused Event as JSON
    conflicts     TEXT NOT NULL,           -- JSON list of slot conflicts and alternatives
    updated_at    TEXT NOT NULL
);
CREATE INDEX stories_start ON stories(start);
CREATE INDEX stories_host ON stories(host_country);

CREATE TABLE story_members (
    event_key  TEXT PRIMARY KEY,
    story_id   TEXT NOT NULL,
    doc        TEXT NOT NULL
);
CREATE INDEX story_members_story ON story_members(story_id);

-- A story id that disappeared (merged, or re-keyed) and the story that holds its events now.
CREATE TABLE story_aliases (
    old_id  TEXT PRIMARY KEY,
    new_id  TEXT NOT NULL
);
