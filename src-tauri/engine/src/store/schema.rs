//! Versioned migrations. Each entry moves the schema one version up; never edit a shipped one.

pub const MIGRATIONS: &[&str] = &[
    // 1: the first cache
    r#"
    CREATE TABLE headlines (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        channel TEXT,
        published_at TEXT,
        image_url TEXT,
        source TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX headlines_first_seen ON headlines(first_seen DESC);
    CREATE INDEX headlines_published ON headlines(published_at DESC);

    CREATE TABLE articles (
        url TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        published_at TEXT,
        fetched_at INTEGER NOT NULL
    );

    CREATE TABLE readings (
        id INTEGER PRIMARY KEY,
        symbol TEXT NOT NULL,
        value REAL NOT NULL,
        change REAL NOT NULL,
        change_pct REAL NOT NULL,
        observed_at INTEGER NOT NULL,
        confirmed_at INTEGER NOT NULL,
        source TEXT NOT NULL
    );
    CREATE INDEX readings_symbol_time ON readings(symbol, observed_at);

    CREATE TABLE validators (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        checked_at INTEGER NOT NULL
    );

    CREATE TABLE source_status (
        source TEXT PRIMARY KEY,
        last_ok INTEGER,
        last_attempt INTEGER,
        failures INTEGER NOT NULL DEFAULT 0,
        error_kind TEXT,
        error_message TEXT,
        next_retry INTEGER
    );

    CREATE TABLE robots (
        host TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        fetched_at INTEGER NOT NULL
    );

    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        symbol TEXT NOT NULL,
        rule TEXT NOT NULL,
        direction TEXT NOT NULL,
        tier REAL,
        value REAL NOT NULL,
        change_pct REAL NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL,
        shown INTEGER NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    CREATE VIRTUAL TABLE search USING fts5(
        url UNINDEXED, title, body,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    "#,
    // 2: search rows keyed by an indexed id (upserts were full scans of the FTS table), in an
    // index without the per-row size table (one B-tree less to write per headline; ranking reads
    // sizes from the rows it ranks instead); articles are also remembered under the address they
    // were asked by
    r#"
    CREATE TABLE search_docs (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE
    );
    INSERT OR IGNORE INTO search_docs (id, url) SELECT rowid, url FROM search;
    CREATE VIRTUAL TABLE search_next USING fts5(
        url UNINDEXED, title, body,
        tokenize = 'unicode61 remove_diacritics 2',
        columnsize = 0
    );
    INSERT INTO search_next (rowid, url, title, body)
        SELECT rowid, url, title, body FROM search WHERE rowid IN (SELECT id FROM search_docs);
    DROP TABLE search;
    ALTER TABLE search_next RENAME TO search;

    CREATE TABLE article_aliases (
        url TEXT PRIMARY KEY,
        canonical TEXT NOT NULL
    );
    CREATE INDEX article_aliases_canonical ON article_aliases(canonical);

    -- the newest-first list reads in index order instead of sorting the whole table; the two
    -- single-column indexes it replaces served no query and slowed every upsert
    CREATE INDEX headlines_newest ON headlines(coalesce(published_at, '') DESC, first_seen DESC);
    DROP INDEX headlines_first_seen;
    DROP INDEX headlines_published;
    "#,
    // a server's Retry-After holds for every request to its host, whichever source asks
    r#"
    CREATE TABLE host_waits (
        host TEXT PRIMARY KEY,
        until INTEGER NOT NULL
    );
    "#,
    // an article's lead image, fetched by the engine and kept with the article (an empty
    // `bytes` remembers a picture that could not be had)
    r#"
    CREATE TABLE article_images (
        article_url TEXT PRIMARY KEY,
        image_url TEXT NOT NULL,
        media_type TEXT NOT NULL,
        bytes BLOB NOT NULL,
        fetched_at INTEGER NOT NULL
    );
    "#,
    // word alerts share the inbox: the words they matched and the stories they cover (JSON)
    r#"
    ALTER TABLE alerts ADD COLUMN words TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE alerts ADD COLUMN urls TEXT NOT NULL DEFAULT '[]';
    "#,
];
