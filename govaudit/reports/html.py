"""The HTML report (Jinja2, autoescape on: every string from a crawled site stays inert).

report.html is the portfolio page (units ranked by score, counts per rule, changes since the previous
run); units/<unit>.html is one page per unit (score per item, findings grouped by item with their
evidence, the lists the rules built, charts). With a single unit, report.html carries the unit's page
too. Files are self-contained: inline CSS and SVG, screenshots as data: URIs, no script at all, and a
Content-Security-Policy that forbids scripts even if markup slipped through.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import re
from collections import defaultdict
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from govaudit import __version__
from govaudit.model import LEVEL_NAMES, Unit, unit_level
from govaudit.store import Store, now_iso
from govaudit.reports.fixes import fix_text
from govaudit.text import OUTCOME_LABELS, label, limits_text, local_time, tz_label, value, zh
from govaudit.reports.collect import collect, reviews_path_for

log = logging.getLogger("govaudit.reports")

UNIT_STATUS = {"crawled": "已抓取", "unreachable": "首页无法访问", "pending": "未抓取", "running": "抓取中",
               "partial": "部分抓取"}
SCREENSHOT_MAX_BYTES = 400_000
_HTTP_URL = re.compile(r"(?i)https?://[^\s/?#]+\S*\Z")
SCREENSHOTS_PER_PAGE = 40
MAX_ROWS = 300


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One environment per process: templates compile once."""
    env = Environment(loader=PackageLoader("govaudit.reports", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["outcome_label"] = lambda o: OUTCOME_LABELS.get(o, o)
    env.filters["safe_href"] = safe_href
    env.filters["label"] = label
    env.filters["zh"] = zh
    env.filters["local_time"] = local_time
    env.filters["num"] = fmt_num
    env.filters["limits"] = _limits
    env.filters["grade_class"] = lambda g: {"优秀": "g-top", "良好": "g-good", "合格": "g-ok"}.get(g or "", "g-bad")
    env.filters["unit_status"] = lambda st: UNIT_STATUS.get(st or "", st or "")
    env.filters["coverage"] = coverage_view
    # issue 20: the unit's level as configured, else as its name states ("" when neither says)
    env.filters["level_name"] = lambda row: LEVEL_NAMES.get(unit_level(Unit(id=row.get("unit_id") or "", name=row.get(
        "name") or "", url=row.get("url") or "", level=row.get("level") or "")), "")
    return env


def coverage_view(value: Any) -> dict[str, Any]:
    """A unit's crawl coverage (units.coverage JSON, crawler/coverage.py) for the templates:
    partial → the grade is provisional, with the reason and what was and was not reached."""
    try:
        v = json.loads(value) if isinstance(value, str) else (value or {})
    except ValueError:
        v = {}
    reached = v.get("reached") or {}
    return {**v, "partial": v.get("status") == "partial",
            "unreached_total": sum((v.get("unreached") or {}).values()),
            "reached_text": "、".join(f"{COVERAGE_CLASSES.get(k, k)} {n}" for k, n in reached.items()),
            "unreached_text": "、".join(f"{COVERAGE_CLASSES.get(k, k)} {n}"
                                       for k, n in (v.get("unreached") or {}).items())}


# page classes of crawler coverage (extract/linkclass.py)
COVERAGE_CLASSES = {"home": "首页", "platform": "信息公开平台", "subcolumn": "平台子栏目", "guide": "指南",
                    "annual": "年报", "interp": "政策解读", "policy": "政策文件", "interaction": "互动/依申请",
                    "column": "栏目", "article": "文章", "archive": "归档/翻页", "unknown": "未知"}


def _limits(v: Any) -> str:
    """The crawl limits a unit hit (stored as JSON), as text."""
    try:
        v = json.loads(v) if isinstance(v, str) else v
    except ValueError:
        return str(v)
    return limits_text(v)


def safe_href(url: str | None) -> str:
    """Only http(s) URLs become clickable; anything else (javascript:, data:) is shown, not linked."""
    if url and isinstance(url, str) and _HTTP_URL.match(url):
        return url
    return ""


def fmt_num(v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


# -- finding data: generic and robust ------------------------------------------------------------
def cell(v: Any, key: str = "") -> dict[str, Any]:
    """A value as a table cell: text, optional http(s) link, optional css class."""
    if isinstance(v, bool):
        return {"text": "✓ 是" if v else "✗ 否", "cls": "ok" if v else "bad"}
    if v is None:
        return {"text": ""}
    if isinstance(v, (int, float)):
        return {"text": fmt_num(v), "cls": "num"}
    if isinstance(v, str) and key == "hidden_by":  # an element name: code, shown as a tag
        return {"text": f"<{v}>"}
    if isinstance(v, str):
        href = safe_href(v) if len(v) < 2000 else ""
        return {"text": v[:500] if href else value(v[:500], key), "href": href}
    if isinstance(v, dict) and isinstance(v.get("url"), str) and (v.get("title") or v.get("label") or v.get("name")):
        text = str(v.get("title") or v.get("label") or v.get("name"))[:300]
        date = v.get("date") or v.get("published")
        return {"text": f"{text}（{date}）" if date else text, "href": safe_href(v["url"])}
    if isinstance(v, dict) and v and all(not isinstance(x, (dict, list)) for x in v.values()):
        return {"text": "；".join(f"{label(k, key)}：{_scalar(x, str(k))}" for k, x in v.items())[:1000]}
    if isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v):
        return {"text": "、".join(_scalar(x, key) for x in v)[:1000]}
    if isinstance(v, list) and all(isinstance(x, dict) for x in v):  # records inside a record: one line each
        return {"text": "；".join("，".join(f"{label(k, key)}：{_scalar(x, str(k)) if not isinstance(x, (dict, list)) else cell(x, str(k))['text']}"
                                          for k, x in r.items()) for r in v)[:1000]}
    return {"text": json.dumps(v, ensure_ascii=False, default=str)[:1000], "cls": "json"}


def _scalar(x: Any, key: str) -> str:
    """A scalar inside a compound cell, in words a person reads."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return "是" if x else "否"
    if isinstance(x, str):
        if key == "hidden_by" and x:
            return f"<{x}>"
        return x if safe_href(x) else value(x, key)
    return fmt_num(x)


def data_blocks(data: Any) -> list[dict[str, Any]]:
    """A finding's data as displayable blocks: key/value rows for scalars, a table per list of
    records, compact JSON for anything else."""
    if not data:
        return []
    if not isinstance(data, dict):
        return [{"kind": "json", "text": json.dumps(data, ensure_ascii=False, default=str)[:3000]}]
    kv, blocks = [], []
    for k, v in data.items():
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            blocks.append(table_block(str(k), v))
        elif isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values()):
            blocks.append(table_block(str(k), [{"": name, **x} for name, x in v.items()]))
        elif v is not None and v != "" and v != [] and v != {}:
            kv.append((str(k), cell(v, str(k))))
    return ([{"kind": "kv", "rows": kv}] if kv else []) + blocks


def table_block(key: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    cols: list[str] = []
    for r in records[:MAX_ROWS]:
        for k in r:
            if k not in cols:
                cols.append(k)
    rows = [[cell(r.get(c), c) for c in cols] for r in records[:MAX_ROWS]]
    return {"kind": "table", "key": key, "cols": cols, "rows": rows, "more": max(0, len(records) - MAX_ROWS)}


LIST_KEYS = {"columns", "reports", "pairs", "interpretations", "elements", "matched", "found", "items", "tables",
             "identities", "examples", "names"}


def has_lists(data: Any, min_rows: int = 1) -> bool:
    """Whether data holds a list of records (or a mapping of records) worth a table: at least
    min_rows records, or any under a well-known key (columns, reports, pairs …)."""
    if not isinstance(data, dict):
        return False
    for k, v in data.items():
        recs = v if isinstance(v, list) else list(v.values()) if isinstance(v, dict) else []
        if recs and all(isinstance(x, dict) for x in recs) and (len(recs) >= min_rows or k in LIST_KEYS):
            return True
    return False


def scalar_data(data: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(data, dict):
        return []
    return [(str(k), cell(v, str(k))) for k, v in data.items() if v is not None and v != "" and v != [] and (not isinstance(v, (dict, list)) or
            (isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v)))][:12]


# -- charts (inline SVG, escaped by hand, then marked safe) --------------------------------------
def _short(label: str, n: int = 19) -> str:
    return label if len(label) <= n else label[:n - 1] + "…"


def svg_bars(rows: list[tuple[str, float, float, str]], unit: str = "", width: int = 720,
             title: str = "") -> Markup:
    """Horizontal bars: (label, value, maximum, css colour). The maximum is drawn as a grey track."""
    if not rows:
        return Markup("")
    bar_h, gap, left, right = 18, 6, 260, 70
    height = len(rows) * (bar_h + gap) + 10
    top = max(m for _, _, m, _ in rows) or 1
    span = width - left - right
    out = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
           f'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for i, (label, value, maximum, colour) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        wmax = span * maximum / top
        wval = span * max(0.0, min(value, maximum if maximum else value)) / top
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(_short(label))}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{wmax:.1f}" height="{bar_h}" fill="#eee"/>')
        out.append(f'<rect x="{left}" y="{y}" width="{wval:.1f}" height="{bar_h}" fill="{colour}"/>')
        out.append(f'<text x="{left + wmax + 4:.1f}" y="{y + 13}">{escape(fmt_num(round(value, 2)))}'
                   f'{escape(unit)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def svg_stacked(rows: list[tuple[str, int, int]], width: int = 720, title: str = "") -> Markup:
    """Horizontal stacked bars of (label, fail, needs_review)."""
    if not rows:
        return Markup("")
    bar_h, gap, left, right = 18, 6, 260, 60
    height = len(rows) * (bar_h + gap) + 30
    top = max(a + b for _, a, b in rows) or 1
    span = width - left - right
    out = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
           f'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for i, (label, a, b) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        wa, wb = span * a / top, span * b / top
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(_short(label))}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{wa:.1f}" height="{bar_h}" fill="#b22"/>')
        out.append(f'<rect x="{left + wa:.1f}" y="{y}" width="{wb:.1f}" height="{bar_h}" fill="#e0a030"/>')
        out.append(f'<text x="{left + wa + wb + 4:.1f}" y="{y + 13}">{a + b}</text>')
    y = height - 12
    out.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="#b22"/><text x="{left + 14}" y="{y}">不合格</text>'
               f'<rect x="{left + 70}" y="{y - 9}" width="10" height="10" fill="#e0a030"/>'
               f'<text x="{left + 84}" y="{y}">待复核</text></svg>')
    return Markup("".join(out))


def svg_trend(trend: list[dict[str, Any]], width: int = 720, title: str = "") -> Markup:
    """Problems per run (bars) and the provisional score (line, 0–100) over the runs in the store."""
    if len(trend) < 2:
        return Markup("")
    height, left, bottom, top_pad = 190, 40, 40, 15
    plot_h = height - bottom - top_pad
    step = (width - left - 20) / len(trend)
    top = max(t["problems"] for t in trend) or 1
    out = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
           f'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="11">',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#999"/>']
    points = []
    for i, t in enumerate(trend):
        x = left + i * step
        h = plot_h * t["problems"] / top
        out.append(f'<rect x="{x + step * .2:.1f}" y="{height - bottom - h:.1f}" width="{step * .6:.1f}" '
                   f'height="{h:.1f}" fill="#e8b0b0"/>')
        out.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom - h - 3:.1f}" text-anchor="middle">'
                   f'{t["problems"]}</text>')
        out.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
                   f'{escape(str(t["date"])[5:])}</text>')
        if isinstance(t.get("score"), (int, float)):
            points.append((x + step / 2, height - bottom - plot_h * min(max(t["score"], 0), 100) / 100, t["score"]))
    if points:
        out.append('<polyline fill="none" stroke="#2a5caa" stroke-width="2" points="'
                   + " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points) + '"/>')
        for x, y, v in points:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#2a5caa"/>'
                       f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" fill="#2a5caa">{escape(fmt_num(v))}</text>')
    y = height - 8
    out.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="#e8b0b0"/><text x="{left + 14}" y="{y}">问题数</text>'
               f'<rect x="{left + 70}" y="{y - 9}" width="10" height="10" fill="#2a5caa"/>'
               f'<text x="{left + 84}" y="{y}">暂定总分</text></svg>')
    return Markup("".join(out))


def column_ages(findings: list[dict[str, Any]], today: dt.date) -> list[tuple[str, float]]:
    """(column name, age in days) from any finding data that lists columns with their newest date."""
    seen: dict[str, float] = {}

    def visit(rec: dict[str, Any], fallback: str) -> None:
        name = rec.get("label") or rec.get("name") or rec.get("column") or rec.get("title") or fallback
        age = rec.get("age_days")
        if not isinstance(age, (int, float)) or isinstance(age, bool):
            newest = rec.get("newest") or rec.get("latest") or rec.get("newest_date")
            try:
                age = (today - dt.date.fromisoformat(str(newest)[:10])).days if newest else None
            except ValueError:
                age = None
        if name and isinstance(age, (int, float)):
            seen[str(name)] = float(age)

    for f in findings:
        data = f.get("data") or {}
        if not isinstance(data, dict):
            continue
        if f["rule"].startswith("column.") and ("age_days" in data or "newest" in data):
            visit(data, f.get("target") or f.get("url") or "")
        for v in data.values():
            if isinstance(v, list):
                for rec in v:
                    if isinstance(rec, dict) and ("age_days" in rec or "newest" in rec or "latest" in rec):
                        visit(rec, "")
    return sorted(seen.items(), key=lambda kv: -kv[1])[:40]


# -- screenshots ---------------------------------------------------------------------------------
class Thumbs:
    """Screenshot files as data: URIs (small ones, a bounded number per page); others by path."""

    def __init__(self, base: Path) -> None:
        self.base, self.used = base, 0

    def __call__(self, path: str | None) -> dict[str, str] | None:
        if not path:
            return None
        p = Path(path)
        if not p.is_absolute():
            p = self.base / p
        if not p.is_file():
            return {"path": str(path)}
        if p.stat().st_size > SCREENSHOT_MAX_BYTES or self.used >= SCREENSHOTS_PER_PAGE:
            return {"path": str(path)}
        self.used += 1
        mime = "image/png" if p.suffix.lower() == ".png" else "image/jpeg"
        return {"path": str(path), "src": f"data:{mime};base64," + base64.b64encode(p.read_bytes()).decode()}


# -- unit view for the templates -----------------------------------------------------------------
def item_of(f: dict[str, Any], rubric: Any, ids: set[str]) -> str:
    for i in rubric.items:
        if any(d.matches_rule(f["rule"]) for d in i.deduct):
            return i.id
    item = str(f.get("item") or "")
    while item and item not in ids:
        item = item[:-1]
    return item or "其他"


def unit_context(u: Any, portfolio: Any, base: Path, archive: dict[str, str] | None = None) -> dict[str, Any]:
    """`archive`: page URL → relative path of its archived copy (the evidence bundle's unit page)."""
    rubric = portfolio.primary
    score = u.scores[rubric.profile]
    ids = {i.id for i in rubric.items}
    thumbs = Thumbs(base)
    screenshots = _page_screenshots(u)
    by_item: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    not_measured, lists = [], []
    for f in u.findings:
        f = dict(f)
        f["evidence_view"] = [{**e, "thumb": thumbs(e.get("screenshot") or screenshots.get(e.get("url", ""))),
                               "archived": (archive or {}).get(e.get("url") or "")}
                              for e in (f.get("evidence") or [])]
        f["scalars"] = scalar_data(f.get("data"))
        f["fix"] = fix_text(f) if f["effective"] in ("fail", "needs_review") else ""
        f["details"] = [b for b in data_blocks(f["data"]) if b["kind"] != "kv"] if has_lists(f.get("data")) else []
        if f["effective"] in ("fail", "needs_review") or f.get("review"):
            by_item[item_of(f, rubric, ids)][f["rule"]].append(f)
        elif f["effective"] == "not_measured":
            not_measured.append(f)
        if has_lists(f.get("data"), min_rows=3):
            lists.append({"rule": f["rule"], "title": portfolio.rule_title(f["rule"]),
                          "outcome": f["effective"], "message": f["message"], "blocks": data_blocks(f["data"])})
    item_scores = {s.id: s for s in score.items}
    sections = []
    for i in rubric.items:
        if i.id in by_item:
            sections.append({"item": i, "score": item_scores[i.id], "rules": _rule_groups(by_item.pop(i.id), portfolio)})
    for key in sorted(by_item):
        sections.append({"item": None, "key": key, "score": None, "rules": _rule_groups(by_item[key], portfolio)})
    rule_table = []
    per_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in u.findings:
        per_rule[f["rule"]].append(f)
    for rid, fs in sorted(per_rule.items()):
        counts: dict[str, int] = defaultdict(int)
        for f in fs:
            counts[f["effective"]] += 1
        rule_table.append({"rule": rid, "title": portfolio.rule_title(rid),
                           "item": item_of(fs[0], rubric, ids),
                           "counts": dict(counts)})
    today = dt.date.fromisoformat(portfolio.run["today"])
    score_rows = [(f"{s.id} {s.title}", s.proposed or 0.0, s.max, "#2a7" if (s.proposed or 0) >= s.max - 1e-9 else "#c44")
                  for s in score.items if s.kind == "base" and s.proposed is not None]
    fail_rows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f in u.problems:
        fail_rows[item_of(f, rubric, ids)][0 if f["effective"] == "fail" else 1] += 1
    ages = column_ages(u.findings, today)
    return {
        "summary": unit_summary(u, score, rubric, ids),
        "u": u, "score": score, "rubric": rubric, "sections": sections, "not_measured": not_measured,
        "lists": lists, "rule_table": rule_table,
        "others": [(r, u.scores[r.profile]) for r in portfolio.rubrics if r.profile != rubric.profile],
        "secondary": secondary_views(u, portfolio),
        "chart_scores": svg_bars(score_rows, "分", title="各考核项机器评分"),
        "chart_findings": svg_stacked(sorted(([k, v[0], v[1]] for k, v in fail_rows.items()), key=lambda r: r[0]),
                                      title="各考核项问题数"),
        "chart_trend": svg_trend(getattr(u, "trend", []) or [], title="历次检查问题数与暂定总分"),
        "chart_ages": svg_bars([(n, a, max(a, 1), "#c44" if a > 14 else "#2a7") for n, a in ages], "天",
                               title="栏目最新信息距今天数"),
    }


SUMMARY_TOP = 8


def unit_summary(u: Any, score: Any, rubric: Any, ids: set[str]) -> dict[str, Any]:
    """The one-page summary for a leader: the items that lost points and the top problems."""
    lost = [s for s in score.items if s.proposed is not None and
            ((s.kind == "penalty" and s.proposed) or (s.kind != "penalty" and s.proposed < s.max - 1e-9))]
    order = {"fail": 0, "needs_review": 1}
    probs = sorted(u.problems, key=lambda f: (order.get(f["effective"], 2), item_of(f, rubric, ids), f["rule"]))
    top = [{"item": item_of(f, rubric, ids), "outcome": f["effective"], "rule": f["rule"],
            "message": _short(zh(f["message"]), 70)} for f in probs[:SUMMARY_TOP]]
    return {"lost": lost, "top": top, "more": max(0, len(probs) - SUMMARY_TOP)}


def _rule_groups(groups: dict[str, list[dict[str, Any]]], portfolio: Any) -> list[dict[str, Any]]:
    return [{"rule": rid, "title": portfolio.rule_title(rid), "findings": fs}
            for rid, fs in sorted(groups.items())]


def _page_screenshots(u: Any) -> dict[str, str]:
    return getattr(u, "screenshots", {}) or {}


def secondary_views(u: Any, portfolio: Any) -> list[dict[str, Any]]:
    """The profiles that do not grade, each with the vetoes it applies explained: the threshold,
    how many findings reached it and which (the governing profile's grade is the grade)."""
    by_fp = {f["fingerprint"]: f for f in u.findings}
    views = []
    for r in portfolio.rubrics[1:]:
        s = u.scores[r.profile]
        rules = {v.id: v for v in r.vetoes}
        vetoes = [{**v, "min_count": rules[v["id"]].min_count if v["id"] in rules else 1,
                   "findings": [by_fp[fp] for fp in v["fingerprints"][:10] if fp in by_fp]} for v in s.vetoes]
        views.append({"rubric": r, "score": s, "vetoes": vetoes})
    return views


# -- writing -------------------------------------------------------------------------------------
def _write(path: Path, html: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a full disk leaves the previous page, and no stray part
        raise
    return path


def render_unit(portfolio: Any, u: Any, base: Path, prefix: str = "../", archive: dict[str, str] | None = None) -> str:
    ctx = unit_context(u, portfolio, base, archive)
    return environment().get_template("unit.html.j2").render(
        run=portfolio.run, version=__version__, prefix=prefix, standalone=True, generated=now_iso(), tz=tz_label(),
        **ctx)


def render_portfolio(portfolio: Any, base: Path) -> str:
    p = portfolio.primary
    ranked = portfolio.ranked()
    chart = svg_bars([(u.row["name"], u.scores[p.profile].provisional, p.total,
                       "#2a7" if u.scores[p.profile].provisional >= p.grades[0][1] else "#c44") for u in ranked[:60]],
                     "分", title="各单位暂定总分")
    single = unit_context(ranked[0], portfolio, base) if len(ranked) == 1 else None
    grade_counts: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for u in ranked:
        grade_counts[u.scores[p.profile].provisional_grade] += 1
        for o, n in u.counts.items():
            totals[o] += n
    vetoed = {r.profile: sum(1 for u in ranked if u.scores[r.profile].vetoed) for r in portfolio.rubrics}
    return environment().get_template("report.html.j2").render(
        run=portfolio.run, version=__version__, portfolio=portfolio, ranked=ranked, rubric=p,
        others=[r for r in portfolio.rubrics if r.profile != p.profile], rule_counts=portfolio.rule_counts(),
        rule_titles=portfolio.rule_titles, chart=chart, single=single, prefix="", generated=now_iso(),
        tz=tz_label(),
        reviews=len(portfolio.reviews), grade_counts=dict(grade_counts), totals=totals, vetoed=vetoed)


def write_html(portfolio: Any, out: Path) -> dict[str, Path]:
    """report.html and units/<unit>.html under out."""
    paths = {"report": _write(out / "report.html", render_portfolio(portfolio, out))}
    for u in portfolio.units:
        _write(out / "units" / f"{u.id}.html", render_unit(portfolio, u, out))
    return paths


def render_report(store: Store, run_id: str, path: Path) -> Path:
    """Compatibility entry point: collect from the store and write path (+ units/ beside it)."""

    portfolio = collect(store, run_id, reviews_path=reviews_path_for(path.parent))
    return write_html(portfolio, path.parent)["report"]
