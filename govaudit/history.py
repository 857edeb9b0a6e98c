"""History across runs: availability probes, the nightly diff, trends over time and retention.

Tables (in govaudit/schema.py with every other table):

- `probes` — one row per availability probe of a unit's home page: `unit_id`, `url`, `time` (UTC,
  ISO 8601 with +00:00, so that text order is time order), `ok` (1/0), `status` (HTTP status or
  NULL), `reason` (NULL when ok; 'timeout', 'dns', 'refused', 'HTTP 503' …), `elapsed` (seconds),
  `source` ('probe' from `govaudit probe`, 'crawl' for the home fetch of a crawl run) and `run_id`
  (the crawl run for source='crawl'). `site.unavailable` reads it through `probe_stats()`.
- `diffs` — per run and unit, each problem finding's change against the unit's previous complete
  run: 'new', 'open', 'fixed' or 'unverified' (the rule could not measure it tonight).
- `pruned_runs` — runs whose bodies and links retention removed (findings and hashes kept).

A finding's identity across runs is its fingerprint (rule + unit + normalised url + target + key).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Iterable

from govaudit.store import Store

log = logging.getLogger("govaudit.history")

PROBLEMS = ("fail", "needs_review")
SITE_AGE = "（全站最新信息）"  # the age of the newest item anywhere (site.not-updated), beside the columns'



def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def utc_iso(t: dt.datetime | None = None) -> str:
    return (t or utc_now()).astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


# -- probes -------------------------------------------------------------------------------------
def record_probe(store: Store, unit_id: str, url: str, ok: bool, status: int | None, reason: str | None,
                 elapsed: float | None, time: dt.datetime | None = None, source: str = "probe",
                 run_id: str | None = None) -> None:
    store.conn.execute(
        "INSERT INTO probes (unit_id, url, time, ok, status, reason, elapsed, source, run_id) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        (unit_id, url, utc_iso(time), int(ok), status, reason, elapsed, source, run_id))


def record_crawl_outcomes(store: Store, run_id: str) -> int:
    """Copy each unit's home-page fetch of a crawl run into `probes` (source='crawl')."""
    n = 0
    for u in store.units(run_id):
        home = next(store.pages(run_id, u["unit_id"], "purpose='home'"), None)
        if home is None:
            ok, status, reason, elapsed, when = False, None, "not fetched", None, None
        else:
            status, reason, elapsed = home["status"], home["reason"], home["elapsed"]
            ok = reason is None and status is not None and status < 400
            if reason is None and not ok:
                reason = f"HTTP {status}"
            when = _parse_time(home["fetched_at"])
        store.conn.execute("DELETE FROM probes WHERE source='crawl' AND run_id=? AND unit_id=?", (run_id, u["unit_id"]))
        record_probe(store, u["unit_id"], u["url"], ok, status, reason, elapsed, when, "crawl", run_id)
        n += 1
    return n


@dataclass
class ProbeStats:
    unit_id: str
    total: int
    failed: int
    since: str
    failures: list[dict[str, Any]] = field(default_factory=list)  # the failed probes, newest first

    @property
    def share(self) -> float | None:
        return self.failed / self.total if self.total else None


def probe_stats(store: Store, unit_id: str, now: dt.datetime | None = None, days: float = 7,
                sources: Iterable[str] = ("probe",)) -> ProbeStats:
    """Failed probes over the last `days` for one unit. Safe on a store that has no probes table
    (total 0: the rule then says the share could not be measured)."""
    since = utc_iso((now or utc_now()) - dt.timedelta(days=days))
    until = utc_iso(now) if now else "9999"
    if not _has_table(store.conn, "probes"):
        return ProbeStats(unit_id, 0, 0, since)
    src = list(sources)
    marks = ",".join("?" * len(src))
    rows = [dict(zip(("time", "url", "ok", "status", "reason", "elapsed", "source"), r)) for r in store.conn.execute(
        f"SELECT time, url, ok, status, reason, elapsed, source FROM probes WHERE unit_id=? AND time>=? "
        f"AND time<=? AND source IN ({marks}) ORDER BY time DESC", (unit_id, since, until, *src))]
    failed = [r for r in rows if not r["ok"]]
    return ProbeStats(unit_id, len(rows), len(failed), since, failed)


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


# -- diff ---------------------------------------------------------------------------------------
def previous_run(store: Store, run_id: str, unit_id: str) -> str | None:
    """The latest complete run before run_id that has findings for the unit."""
    cur = store.run(run_id)
    row = store.conn.execute(
        "SELECT r.id FROM runs r WHERE r.status='complete' AND r.id<>? AND (r.started<? OR (r.started=? AND r.rowid<"
        "(SELECT rowid FROM runs WHERE id=?))) AND EXISTS (SELECT 1 FROM findings f WHERE f.run_id=r.id AND f.unit_id=?) "
        "ORDER BY r.started DESC, r.rowid DESC LIMIT 1",
        (run_id, cur["started"], cur["started"], run_id, unit_id)).fetchone()
    return row[0] if row else None


def _brief(f: dict[str, Any]) -> dict[str, Any]:
    return {k: f.get(k) for k in ("fingerprint", "rule", "outcome", "url", "target", "message")}


def diff_unit(store: Store, run_id: str, unit_id: str) -> dict[str, Any]:
    """new / fixed / open / unverified problem findings of one unit against its previous run.

    'fixed' needs proof: the rule ran tonight and measured something for the unit. When tonight's
    findings of that rule are all not_measured (site down, no browser), last run's problems are
    'unverified', never 'fixed'."""
    prev = previous_run(store, run_id, unit_id)
    now_all = store.findings(run_id, unit_id)
    now = {f["fingerprint"]: f for f in now_all if f["outcome"] in PROBLEMS}
    measured_rules = {f["rule"] for f in now_all if f["outcome"] != "not_measured"}
    out: dict[str, Any] = {"unit": unit_id, "previous_run": prev, "new": [], "fixed": [], "open": [],
                           "unverified": []}
    if prev is None:
        out["new"] = [_brief(f) for f in now.values()]
        _add_verdicts(store, out)
        return out
    before = {f["fingerprint"]: f for f in store.findings(prev, unit_id) if f["outcome"] in PROBLEMS}
    for fp, f in now.items():
        (out["open"] if fp in before else out["new"]).append(_brief(f))
    for fp, f in before.items():
        if fp not in now:
            (out["fixed"] if f["rule"] in measured_rules else out["unverified"]).append(_brief(f))
    _add_verdicts(store, out)
    return out


def diff_messages(store: Store, run_id: str, unit_id: str, prev_run: str | None = None) -> dict[str, Any]:
    """The unit's interaction messages (the `messages` table) against its previous run, by message
    key (detail URL, else number, else title): 'new' (published since), 'answered' (a reply was
    published since), 'reopened' (answered before, shown unanswered now), 'gone' (no longer
    published — a unit removing unanswered letters is worth a look). `prev_run`: compare with
    that run instead of the previous complete one."""
    prev = prev_run or previous_run(store, run_id, unit_id)
    now = {m["key"]: m for m in store.messages(run_id, unit_id)}
    out: dict[str, Any] = {"unit": unit_id, "previous_run": prev, "new": [], "answered": [], "reopened": [],
                           "gone": [], "messages": len(now)}
    if prev is None:
        return out
    before = {m["key"]: m for m in store.messages(prev, unit_id)}
    if not before:   # the previous run read no messages (checked before the table existed): no diff
        return out
    brief = ("column_label", "title", "url", "asked_at", "answered_at", "status", "answered")
    for k, m in now.items():
        b = before.get(k)
        if b is None:
            out["new"].append({f: m[f] for f in brief})
        elif m["answered"] == 1 and b["answered"] != 1:
            out["answered"].append({f: m[f] for f in brief})
        elif m["answered"] == 0 and b["answered"] == 1:
            out["reopened"].append({f: m[f] for f in brief})
    out["gone"] = [{f: b[f] for f in brief} for k, b in before.items() if k not in now]
    return out


def _add_verdicts(store: Store, d: dict[str, Any]) -> None:
    """A reviewer's verdict (reviews table: confirmed, false-positive, fixed) on a changed finding."""
    if not _has_table(store.conn, "reviews"):
        return
    entries = [f for c in ("new", "fixed", "open", "unverified") for f in d[c]]
    fps = [f["fingerprint"] for f in entries]
    verdicts: dict[str, str] = {}
    for i in range(0, len(fps), 500):
        chunk = fps[i:i + 500]
        verdicts.update(store.conn.execute(
            f"SELECT fingerprint, verdict FROM reviews WHERE fingerprint IN ({','.join('?' * len(chunk))})",
            chunk).fetchall())
    for f in entries:
        if f["fingerprint"] in verdicts:
            f["review"] = verdicts[f["fingerprint"]]


def diff_run(store: Store, run_id: str, trend_runs: int = 30) -> dict[str, Any]:
    """The diff of every unit of a run (with each unit's trend over its last `trend_runs` complete
    runs, for the report); the changes are also written to the `diffs` table."""
    rows = store.units(run_id)
    units = [diff_unit(store, run_id, u["unit_id"]) for u in rows]
    for d, u in zip(units, rows):
        d.update(name=u["name"], status=u["status"], pages=u["pages"], errors=u["errors"])
        d["messages"] = diff_messages(store, run_id, d["unit"], d["previous_run"])   # 互动留言 (issue 20)
    if trend_runs:
        for d in units:
            d["trend"] = trends(store, d["unit"], limit=trend_runs)
    rows = []
    for d in units:
        for change in ("new", "open", "fixed", "unverified"):
            for f in d[change]:
                rows.append((run_id, d["previous_run"], d["unit"], f["fingerprint"], change, f["rule"],
                             f["outcome"], f["url"], f["target"], f["message"]))
    with store.conn:
        store.conn.execute("BEGIN")
        store.conn.execute("DELETE FROM diffs WHERE run_id=?", (run_id,))
        store.conn.executemany("INSERT INTO diffs VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    totals = {c: sum(len(d[c]) for d in units) for c in ("new", "fixed", "open", "unverified")}
    return {"run": run_id, "generated": utc_iso(), "totals": totals, "units": units}


def format_diff(diff: dict[str, Any]) -> str:
    """A short text of the diff for the terminal."""
    t = diff["totals"]
    lines = [f"与上次相比：新增 {t['new']}，已整改 {t['fixed']}，仍存在 {t['open']}，未能复核 {t['unverified']}"]
    for d in diff["units"]:
        if d["previous_run"] is None:
            lines.append(f"  {d['unit']}: 首次检查，问题 {len(d['new'])}")
            continue
        lines.append(f"  {d['unit']}: 新增 {len(d['new'])}，已整改 {len(d['fixed'])}，仍存在 {len(d['open'])}"
                     + (f"，未能复核 {len(d['unverified'])}" if d["unverified"] else ""))
        for f in d["new"][:5]:
            lines.append(f"    + {f['rule']} {f['url'] or ''} {f['target'] or ''}".rstrip())
        for f in d["fixed"][:5]:
            lines.append(f"    - {f['rule']} {f['url'] or ''} {f['target'] or ''}".rstrip())
        m = d.get("messages") or {}
        if any(m.get(k) for k in ("new", "answered", "reopened", "gone")):
            lines.append(f"    互动留言：新增 {len(m['new'])} 条，新答复 {len(m['answered'])} 条"
                         + (f"，重新变为未答复 {len(m['reopened'])} 条" if m["reopened"] else "")
                         + (f"，不再公开 {len(m['gone'])} 条" if m["gone"] else ""))
    return "\n".join(lines)


# -- trends -------------------------------------------------------------------------------------
def trends(store: Store, unit_id: str, limit: int = 60) -> list[dict[str, Any]]:
    """Per complete run (oldest first) for one unit: outcome counts, problems per rule, the score
    (from a `scores` table with run_id, unit_id, score when the scoring stage writes one) and
    and grade (from the `scores` table: run_id, unit_id, score, grade — written by the report stage)
    and column ages (from findings whose data carries `age_days` and the column's `column` or
    `label` — column.stale's; site.not-updated's age is listed as SITE_AGE)."""
    runs = [dict(r) for r in store.db.query(
        "SELECT r.id, r.today, r.started FROM runs r WHERE r.status='complete' AND EXISTS "
        "(SELECT 1 FROM findings f WHERE f.run_id=r.id AND f.unit_id=?) ORDER BY r.started DESC, r.rowid DESC LIMIT ?",
        [unit_id, limit])][::-1]
    has_scores = _has_table(store.conn, "scores")
    out = []
    for r in runs:
        counts: dict[str, int] = {}
        by_rule: dict[str, int] = {}
        ages: dict[str, int] = {}
        for outcome, rule, data in store.conn.execute(
                "SELECT outcome, rule, data FROM findings WHERE run_id=? AND unit_id=?", (r["id"], unit_id)):
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome in PROBLEMS:
                by_rule[rule] = by_rule.get(rule, 0) + 1
            if data and "age_days" in data:
                d = json.loads(data)
                name = (d.get("column") or d.get("label") or (SITE_AGE if rule == "site.not-updated" else None)) \
                    if isinstance(d, dict) else None
                if name and isinstance(d.get("age_days"), (int, float)):
                    ages[str(name)] = int(d["age_days"])
        score = grade = None
        if has_scores:
            try:
                cur = store.conn.execute("SELECT * FROM scores WHERE run_id=? AND unit_id=?", (r["id"], unit_id))
                row = cur.fetchone()
                if row is not None:
                    named = dict(zip([c[0] for c in cur.description], row))
                    score, grade = named.get("score"), named.get("grade")
            except sqlite3.Error:
                score = None
        out.append({"run": r["id"], "date": r["today"], "counts": counts, "problems_by_rule": by_rule,
                    "score": score, "grade": grade, "column_ages": ages})
    return out


# -- retention ----------------------------------------------------------------------------------
def prune(store: Store, keep_runs: int) -> list[str]:
    """Keep the bodies and links of the newest `keep_runs` runs; older runs lose their links and
    every body no kept run references. Their runs, units, pages (with sha256), findings (with
    evidence hashes), diffs and probes stay. Returns the pruned run ids."""
    if keep_runs < 1:
        raise ValueError("keep_runs must be at least 1")
    runs = [r[0] for r in store.conn.execute(
        "SELECT id FROM runs WHERE status NOT IN ('running') ORDER BY started DESC, rowid DESC")]
    running = {r[0] for r in store.conn.execute("SELECT id FROM runs WHERE status='running'")}
    done = {r[0] for r in store.conn.execute("SELECT run_id FROM pruned_runs")}
    old = [r for r in runs[keep_runs:] if r not in done and r not in running]
    if not old:
        return []
    with store.conn:
        store.conn.execute("BEGIN")
        store.conn.execute("CREATE TEMP TABLE IF NOT EXISTS _prune (run_id TEXT PRIMARY KEY)")
        store.conn.execute("DELETE FROM _prune")
        store.conn.executemany("INSERT INTO _prune VALUES (?)", [(r,) for r in old])
        bodies = store.conn.execute(
            "DELETE FROM bodies WHERE sha256 IN (SELECT sha256 FROM pages WHERE run_id IN (SELECT run_id FROM _prune) "
            "AND sha256 IS NOT NULL) AND sha256 NOT IN (SELECT sha256 FROM pages WHERE sha256 IS NOT NULL AND "
            "run_id NOT IN (SELECT run_id FROM _prune) AND run_id NOT IN (SELECT run_id FROM pruned_runs))").rowcount
        links_total = 0
        for r in old:
            n = store.conn.execute("SELECT count(*) FROM links WHERE run_id=?", (r,)).fetchone()[0]
            store.conn.execute("UPDATE pages SET link_set=NULL WHERE run_id=?", (r,))
            links_total += n
            store.conn.execute("INSERT OR REPLACE INTO pruned_runs VALUES (?,?,?,?)", (r, utc_iso(), 0, n))
        # link sets no page refers to any more (a set is shared by every night its page did not change)
        store.conn.execute("DELETE FROM link_sets WHERE set_id NOT IN (SELECT link_set FROM pages WHERE link_set IS NOT NULL)")
        store.conn.execute("DELETE FROM link_set_keys WHERE set_id NOT IN (SELECT link_set FROM pages WHERE link_set IS NOT NULL)")
        store.prune_attachment_texts()  # the texts read from pruned documents go with them (personal data)
        store.conn.execute("UPDATE pruned_runs SET bodies_deleted=? WHERE run_id=?", (bodies, old[0]))
    log.info("保留期清理：清理 %d 次运行，删除 %d 个页面正文和 %d 条链接；检查结果保留",
             len(old), bodies, links_total)
    return old
