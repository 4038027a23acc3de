-- marsad schema 2: entities (people, unnamed officials, organisations, places, occasions) with
-- global ids, their spellings, the roles texts give them, and every mention per document.

CREATE TABLE entities (
    id           TEXT PRIMARY KEY,          -- person:abdellatif-hammouchi, org:dgsn-ma, country:ma
    type         TEXT NOT NULL,             -- PERSON ROLE ORG COUNTRY CITY REGION OCCASION
    name         TEXT NOT NULL,
    name_latin   TEXT,
    latin_source TEXT,                      -- kb | text | transliterated
    country      TEXT,                      -- ISO 3166 alpha-2
    attrs        TEXT NOT NULL DEFAULT '{}',-- JSON
    first_seen   TEXT,                      -- earliest publication date of a mentioning article
    last_seen    TEXT,
    updated_at   TEXT NOT NULL
);
CREATE INDEX entities_type ON entities(type);
CREATE INDEX entities_country ON entities(country);

CREATE TABLE entity_aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,                -- as written in an article
    norm      TEXT NOT NULL,                -- normalised, for lookups
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_norm ON entity_aliases(norm);

CREATE TABLE entity_roles (
    entity_id  TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    org        TEXT NOT NULL DEFAULT '',
    country    TEXT NOT NULL DEFAULT '',
    first_seen TEXT,                        -- publication dates of the articles that attest it
    last_seen  TEXT,
    PRIMARY KEY (entity_id, title, org, country)
);

CREATE TABLE entity_mentions (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id      TEXT REFERENCES entities(id) ON DELETE SET NULL,
    type           TEXT NOT NULL,
    start          INTEGER NOT NULL,        -- offsets into the article's text
    "end"          INTEGER NOT NULL,
    text           TEXT NOT NULL,
    rule           TEXT NOT NULL,
    key            TEXT,
    confidence     REAL NOT NULL DEFAULT 1.0,
    sentence_start INTEGER,
    sentence_end   INTEGER,
    sentence       TEXT,                    -- the sentence (or title line) holding the mention
    attrs          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);
CREATE INDEX entity_mentions_document ON entity_mentions(document_id);
