"""The store's schema: every table and index, in one place. The contract between the stages.

Opened for writing, a store runs TABLES (idempotent CREATE … IF NOT EXISTS). Columns added to an
existing table go to MIGRATIONS (ALTER TABLE, applied when the column is missing), so a store from
an earlier version keeps working.
"""
from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

# -- the crawl: runs, units, pages, bodies, links (crawler/pipelines.py writes them) ----------------
CRAWL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, started TEXT, finished TEXT, status TEXT, today TEXT,
  mode TEXT, tool_version TEXT, settings TEXT, pid INTEGER, note TEXT, coverage TEXT);
CREATE TABLE IF NOT EXISTS units (
  run_id TEXT, unit_id TEXT, name TEXT, kind TEXT, level TEXT, url TEXT, config TEXT,
  status TEXT, pages INTEGER DEFAULT 0, errors INTEGER DEFAULT 0, limits_hit TEXT,
  started TEXT, finished TEXT, coverage TEXT, PRIMARY KEY (run_id, unit_id));
CREATE TABLE IF NOT EXISTS pages (
  id INTEGER PRIMARY KEY, run_id TEXT, unit_id TEXT, url TEXT, final_url TEXT,
  redirects TEXT, status INTEGER, reason TEXT, method TEXT, purpose TEXT, headers TEXT,
  content_type TEXT, size INTEGER, sha256 TEXT, encoding TEXT, title TEXT,
  fetched_at TEXT, elapsed REAL, depth INTEGER, referer TEXT, rendered INTEGER DEFAULT 0,
  screenshot TEXT, note TEXT, link_set INTEGER);
CREATE INDEX IF NOT EXISTS pages_run_url ON pages (run_id, url);
CREATE INDEX IF NOT EXISTS pages_run_unit ON pages (run_id, unit_id);
CREATE TABLE IF NOT EXISTS bodies (sha256 TEXT PRIMARY KEY, codec TEXT, size INTEGER, data BLOB);
-- A page's links are stored once per (unit, page URL, body): `link_sets` holds them, keyed by
-- `link_set_keys`, and each page row names its set. An unchanged page on the next night reuses the
-- set, so an unchanged night adds page rows only (issue 22). `links` is the view every reader uses.
CREATE TABLE IF NOT EXISTS link_set_keys (set_id INTEGER PRIMARY KEY, key TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS link_sets (
  set_id INTEGER, target TEXT, raw TEXT, tag TEXT, attr TEXT, text TEXT, hints TEXT, external INTEGER);
CREATE INDEX IF NOT EXISTS link_sets_set ON link_sets (set_id);
CREATE VIEW IF NOT EXISTS links AS
  SELECT p.run_id AS run_id, p.unit_id AS unit_id, p.id AS page_id, p.url AS source_url, s.target AS target,
         s.raw AS raw, s.tag AS tag, s.attr AS attr, s.text AS text, s.hints AS hints, s.external AS external
  FROM pages p JOIN link_sets s ON s.set_id = p.link_set;
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY, run_id TEXT, unit_id TEXT, rule TEXT, item TEXT, outcome TEXT,
  url TEXT, target TEXT, message TEXT, data TEXT, evidence TEXT, fingerprint TEXT);
CREATE INDEX IF NOT EXISTS findings_run ON findings (run_id, unit_id, rule);
CREATE INDEX IF NOT EXISTS findings_fp ON findings (fingerprint);
"""

# -- the rules a run was checked with (written by the check stage): `rule_catalog` holds every rule
# the checks knew (id, appraisal item, title: reports read them here, never from the rule modules);
# `checked_rules` which of them ran on each unit (one that never ran is not_measured, never full marks)
RULES = """
CREATE TABLE IF NOT EXISTS rule_catalog (
  run_id TEXT, rule TEXT, item TEXT, title TEXT, PRIMARY KEY (run_id, rule));
CREATE TABLE IF NOT EXISTS checked_rules (
  run_id TEXT, unit_id TEXT, rule TEXT, at TEXT, PRIMARY KEY (run_id, unit_id, rule));
"""

# -- browser renders: visibility verdicts per link, screenshots (crawler/render.py) ----------------
RENDERS = """
CREATE TABLE IF NOT EXISTS renders (
  run_id TEXT, unit_id TEXT, url TEXT, final_url TEXT, status INTEGER, screenshot TEXT,
  fetched_at TEXT, elapsed REAL, error TEXT, link_count INTEGER, title TEXT);
CREATE INDEX IF NOT EXISTS renders_run_unit ON renders (run_id, unit_id);
CREATE TABLE IF NOT EXISTS rendered_links (
  run_id TEXT, unit_id TEXT, page_url TEXT, href TEXT, text TEXT, selector TEXT,
  visible INTEGER, strength TEXT, reasons TEXT, rect TEXT);
CREATE INDEX IF NOT EXISTS rendered_links_run_unit ON rendered_links (run_id, unit_id, page_url);
"""

# -- nightly history: availability probes, the diff against the previous night, retention ---------
HISTORY = """
CREATE TABLE IF NOT EXISTS probes (
  id INTEGER PRIMARY KEY, unit_id TEXT, url TEXT, time TEXT, ok INTEGER, status INTEGER,
  reason TEXT, elapsed REAL, source TEXT DEFAULT 'probe', run_id TEXT);
CREATE INDEX IF NOT EXISTS probes_unit_time ON probes (unit_id, time);
CREATE TABLE IF NOT EXISTS diffs (
  run_id TEXT, prev_run_id TEXT, unit_id TEXT, fingerprint TEXT, change TEXT, rule TEXT,
  outcome TEXT, url TEXT, target TEXT, message TEXT);
CREATE INDEX IF NOT EXISTS diffs_run ON diffs (run_id, unit_id, change);
CREATE TABLE IF NOT EXISTS pruned_runs (
  run_id TEXT PRIMARY KEY, pruned_at TEXT, bodies_deleted INTEGER, links_deleted INTEGER);
"""

# -- a reviewer's verdicts (复核), keyed by finding fingerprint, kept across runs ------------------
REVIEWS = """
CREATE TABLE IF NOT EXISTS reviews (
  fingerprint TEXT PRIMARY KEY, verdict TEXT, by TEXT, at TEXT, note TEXT,
  rule TEXT, unit_id TEXT, url TEXT);
"""

# -- scores -----------------------------------------------------------------------------------------
# `profile_scores`: every rubric profile's score with the rubric's version and file hash.
# `scores`: one row per run and unit — the profile the run's score sheet used; `score` is its
# provisional total (what govaudit.history.trends() plots). Both are derived data, rebuilt by
# every `govaudit report`.
SCORES = """
CREATE TABLE IF NOT EXISTS profile_scores (
  run_id TEXT, unit_id TEXT, profile TEXT, rubric_version TEXT, rubric_sha256 TEXT,
  total REAL, provisional REAL, grade TEXT, vetoed INTEGER, items TEXT, computed_at TEXT,
  PRIMARY KEY (run_id, unit_id, profile));
CREATE TABLE IF NOT EXISTS scores (
  run_id TEXT, unit_id TEXT, score REAL, total REAL, grade TEXT, profile TEXT, rubric_version TEXT,
  PRIMARY KEY (run_id, unit_id));
"""

# -- attachment text (extract/attachments.py): read once per body, shared by every rule ----------
# Keyed by the body's sha256 like `bodies`; `text` is zlib-compressed UTF-8. It holds what the
# document holds (personal data included): like bodies, it is never copied into an output.
ATTACHMENTS = """
CREATE TABLE IF NOT EXISTS attachment_texts (
  sha256 TEXT PRIMARY KEY, format TEXT, status TEXT, reason TEXT, pages INTEGER, ocr_pages INTEGER,
  seconds REAL, extracted_at TEXT, text BLOB);
"""

# -- interaction messages (互动交流, issue 20): what each 领导信箱/咨询/留言 column publishes, read by
# the check stage (checks/analyses/interaction.py) and written through Store.replace_messages, so
# that `serve` can browse them and the nightly history can diff them. `key` identifies a message
# across runs within a unit: its detail URL, else its number, else its title (history.diff_messages).
MESSAGES = """
CREATE TABLE IF NOT EXISTS messages (
  run_id TEXT, unit_id TEXT, column_label TEXT, column_url TEXT, column_kind TEXT, url TEXT,
  number TEXT, title TEXT, asked_at TEXT, answered_at TEXT, answered_by TEXT, status TEXT,
  answered INTEGER, latency_workdays INTEGER, source TEXT, source_url TEXT, key TEXT);
CREATE INDEX IF NOT EXISTS messages_run_unit ON messages (run_id, unit_id);
CREATE INDEX IF NOT EXISTS messages_unit_key ON messages (unit_id, key);
"""

TABLES = (CRAWL, RULES, RENDERS, HISTORY, REVIEWS, SCORES, ATTACHMENTS, MESSAGES)

# (table, column, declaration): columns added after a table first shipped
MIGRATIONS: tuple[tuple[str, str, str], ...] = (
    ("pages", "link_set", "INTEGER"),
    ("units", "coverage", "TEXT"),   # what the crawl covered (crawler/coverage.py), JSON; NULL: not recorded
    ("runs", "coverage", "TEXT"),
)


def create(conn: sqlite3.Connection) -> None:
    """Create every table and index, and add the columns an older store lacks."""
    for table, column, decl in MIGRATIONS:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if have and column not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
    for sql in TABLES:
        conn.executescript(sql)
    _links_table_to_sets(conn)


def _links_table_to_sets(conn: sqlite3.Connection) -> None:
    """A store from before link sets has a `links` table (one row per link per run): each page's
    links become its own set (set id = page id, below every new set id), then the view replaces it."""
    kind = conn.execute("SELECT type FROM sqlite_master WHERE name='links'").fetchone()
    if not kind or kind[0] != "table":
        return
    with conn:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO link_sets (set_id, target, raw, tag, attr, text, hints, external) "
                     "SELECT page_id, target, raw, tag, attr, text, hints, external FROM links ORDER BY rowid")
        conn.execute("INSERT OR IGNORE INTO link_set_keys (set_id, key) SELECT DISTINCT page_id, 'page ' || page_id FROM links")
        conn.execute("UPDATE pages SET link_set = id WHERE id IN (SELECT page_id FROM links)")
        conn.execute("DROP TABLE links")
    conn.executescript(CRAWL)  # the view, now that the name is free
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
