"""catalog.missing — no 基层政务公开标准目录 or 主动公开基本目录; catalogue entries broken or blank
(appraisal 8.2.5; requirements §7).

What: for county and township governments (`levels`), no 基层政务公开标准目录 (国办发〔2019〕54号:
26 试点领域) nor 主动公开基本目录 / 政府信息公开目录 found on the site; or an entry of the catalogue
(a 领域 or column it links) whose link is broken or leads to a blank list.

Why: 8.2.5 (编制政务公开基本目录并适时调整更新) scores the catalogue; 国办发〔2019〕54号 requires county
and township governments to publish the standard catalogues of the 26 领域 and fill them.

How: the catalogue is the first found of: a link whose text names one of `catalog_names` (best name first:
the 基层 standard catalogue before a 主动公开基本目录), or a crawled page so titled. Its entries are the
links of its main area (navigation, header and footer excluded) whose text names one of the 26
`domains`; a catalogue naming no 领域 (a 主动公开基本目录 of columns) has its short column links as
entries. An entry is `fail` when its target answered with an error (what link.broken reports for
every link, here only for the catalogue's entries) or when its page shows no list items, a
placeholder (暂无信息 …), 共0条, or no text and no links of its own (what column.blank judges for the
portal's columns, here for the catalogue's); an entry whose list a script fills and that was not
rendered is not judged. One finding per failing entry (target = the entry). No catalogue →
`needs_review` (it may sit in a script menu or another platform); a catalogue whose link answers an
error is `fail`, one the crawl did not fetch `not_measured`. A unit whose level is not in
`levels`, or a department, is `not_applicable`; a unit whose level is unknown (name without 县/镇 …
and no `level` configured) is `not_measured`.

Limits: a catalogue shown only as a script-built tree (ztree on 集约化 platforms) offers no entries to
judge; the pass says how many were judged. Entries the crawl did not fetch are counted, not judged.
An entry that is also one of the portal's columns is judged by column.blank as well (item 8.6.2);
this rule reports it once more only as a catalogue entry (item 8.2.5), and its broken link is also
in link.broken's list of every broken link.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.columns import normalize_label
from govaudit.model import LEVEL_NAMES, Finding, unit_level
from govaudit.urls import absolute, normalize

DOMAINS = ["重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿", "国有土地上房屋征收",
           "农村危房改造", "扶贫", "救灾", "生态环境", "公共文化服务", "公共法律服务", "户籍管理", "涉农补贴", "就业",
           "社会救助", "养老服务", "社会保险", "义务教育", "卫生健康", "城乡规划", "食品药品监管", "市政服务",
           "保障性住房", "农村集体经济"]
NAMES = ["基层政务公开标准目录", "政务公开标准目录", "政务公开事项标准目录", "标准目录", "主动公开基本目录",
         "政务公开基本目录", "主动公开目录", "政府信息公开目录"]

RULE = Rule(id="catalog.missing", item="8.2.5", title="未编制政务公开标准目录或目录条目失效",
            defaults={"levels": ["county", "township"], "catalog_names": list(NAMES), "domains": list(DOMAINS),
                      "min_text": 30, "max_label_length": 16},
            uses=(SitePages,))

_PAGER = re.compile(r"^(?:首页|上一页|下一页|尾页|末页|更多|\d+|返回|打印|关闭)$")


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    home = (ctx.home or {"url": ctx.unit.url})["url"]
    if ctx.unit.kind != "government":
        yield ctx.finding(RULE, "not_applicable", home, "部门网站不适用（基层政务公开标准目录由县、乡两级政府编制）")
        return
    level = unit_level(ctx.unit)
    if not level:
        yield ctx.finding(RULE, "not_measured", home, "未能确定单位层级：请在单位文件中设置 level（如 county、township）"
                          "或使用 --level", data={"level": None})
        return
    if level not in conf["levels"]:
        yield ctx.finding(RULE, "not_applicable", home, f"{LEVEL_NAMES.get(level, level)}单位不适用（只检查"
                          f"{'、'.join(LEVEL_NAMES.get(x, x) for x in conf['levels'])}政府）", data={"level": level})
        return
    site = ctx.get(SitePages)
    found = _locate(ctx, conf)
    if found is None:
        yield ctx.finding(RULE, "needs_review", home, "未找到基层政务公开标准目录或主动公开基本目录：请在政府信息公开平台"
                          "发布本级政务公开标准目录（26 个领域），并逐项链接到有内容的栏目",
                          evidence=[ctx.evidence(ctx.home or {"url": home}, note="未找到标题或链接含“标准目录”“基本目录”的页面")],
                          data={"problem": "missing", "level": level, "names": conf["catalog_names"]})
        return
    url, name, source = found
    page, root = site.root(url)
    src_page = site.stored(source) if source else None
    ev_link = ctx.evidence(src_page or {"url": source or url}, snippet=f"{name} → {url}", note="目录入口")
    if page is None or root is None:
        row = ctx.store.page_by_url(ctx.run_id, url)
        if row is not None and (row.get("reason") or (row.get("status") or 0) >= 400):
            yield ctx.finding(RULE, "fail", source or url, f"“{name}”的链接失效（{_status(row)}），请修复目录入口",
                              target=url, evidence=[ev_link, ctx.evidence(row)],
                              data={"problem": "broken", "level": level, "catalog": url, "name": name,
                                    "status": row.get("status"),
                                    "reason": row.get("reason")})
        else:
            yield ctx.finding(RULE, "not_measured", url, f"找到“{name}”的链接，但目录页面未抓取，未能检查其条目",
                              evidence=[ev_link], data={"level": level, "catalog": url, "name": name, "entries": 0})
        return
    entries = _entries(ctx, url, conf)
    judged = [(label, target, _judge(ctx, target, conf)) for label, target in entries]
    bad = [(label, target, v) for label, target, v in judged if v and v["bad"]]
    domains = sorted({d for d in conf["domains"] for label, _ in entries if d in normalize_label(label)},
                     key=conf["domains"].index)
    data = {"level": level, "catalog": page["url"], "name": name, "entries": len(entries),
            "judged": sum(1 for *_, v in judged if v), "domains": domains, "domains_total": len(conf["domains"])}
    ev_cat = ctx.evidence(page, snippet=f"{name}：{len(entries)} 个条目")
    for label, target, v in bad:
        yield ctx.finding(RULE, "fail", page["url"], f"“{name}”中的“{label}”{v['why']}，请修复链接并在该栏目发布内容",
                          target=target, evidence=[ev_cat, ctx.evidence(v["page"] or {"url": target}, note=v["why"])],
                          data={**data, "entry": label, "problem": v["kind"], "status": v.get("status")})
    if not bad:
        cover = f"，涉及 {len(domains)}/{len(conf['domains'])} 个领域" if domains else ""
        yield ctx.finding(RULE, "pass", page["url"], f"找到“{name}”：{len(entries)} 个条目，已检查 {data['judged']} 个，"
                          f"均可打开且有内容{cover}", evidence=[ev_link, ev_cat], data=data)


def _status(row: dict[str, Any]) -> str:
    return f"HTTP {row['status']}" if row.get("status") else str(row.get("reason") or "无响应")


def _locate(ctx: CheckContext, conf: dict[str, Any]) -> tuple[str, str, str | None] | None:
    """(catalogue URL, its name as written, the page linking it) — best name first, links before titles."""
    names = [n for n in conf["catalog_names"] if n]
    if not names:
        return None
    # link texts split by <br> are stored with a space (基层政务 公开标准目录): compared without spaces
    cond = " OR ".join("replace(l.text, ' ', '') LIKE ?" for _ in names)
    rows = list(ctx.store.db.query(
        "SELECT p.url AS source, l.target, l.text FROM links l JOIN pages p ON p.id = l.page_id "
        f"WHERE l.run_id=? AND l.unit_id=? AND l.tag IN ('a','area') AND length(l.text) <= 40 AND ({cond}) "
        "ORDER BY p.depth, p.id", [ctx.run_id, ctx.unit.id, *[f"%{n}%" for n in names]]))
    best: tuple[int, tuple[str, str, str | None]] | None = None
    for r in rows:
        label = normalize_label(r["text"] or "")
        rank = next((i for i, n in enumerate(names) if n in label), None)
        if rank is not None and r["target"].startswith("http") and (best is None or rank < best[0]):
            best = (rank, (r["target"], " ".join((r["text"] or "").split()), r["source"]))
    for i, n in enumerate(names):
        if best is not None and best[0] <= i:
            break
        p = next(iter(ctx.content_pages("status < 400 AND title LIKE ?", (f"%{n}%",))), None)
        if p is not None:
            best = (i, (p["url"], n, None))
            break
    return best[1] if best else None


def _entries(ctx: CheckContext, url: str, conf: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, absolute URL) of the catalogue's entries: 领域 links, else its short column links."""
    site = ctx.get(SitePages)
    _, links = site.main_of(url)
    seen: set[str] = set()
    resolved: list[tuple[str, str]] = []
    for href, text in links:
        target = absolute(url, href)
        label = " ".join((text or "").split())
        if not target or not target.startswith("http") or not label or normalize(target) == normalize(url):
            continue
        if normalize(target) in seen or _PAGER.match(normalize_label(label)):
            continue
        seen.add(normalize(target))
        resolved.append((label, target))
    domain = [(lb, t) for lb, t in resolved if any(d in normalize_label(lb) for d in conf["domains"])]
    if domain:
        return domain
    return [(lb, t) for lb, t in resolved if 2 <= len(normalize_label(lb)) <= int(conf["max_label_length"])]


def _judge(ctx: CheckContext, target: str, conf: dict[str, Any]) -> dict[str, Any] | None:
    """{bad, kind, why, page} for an entry, or None when it cannot be judged (not fetched, script list)."""
    site = ctx.get(SitePages)
    page, root = site.root(target)
    if page is None:
        row = ctx.store.page_by_url(ctx.run_id, target) or ctx.store.page_by_url(ctx.run_id, normalize(target))
        if row is not None and (row.get("reason") or (row.get("status") or 0) >= 400):
            return {"bad": True, "kind": "broken", "why": f"链接失效（{_status(row)}）", "page": row,
                    "status": row.get("status")}
        if row is not None and row.get("status") and not row.get("sha256"):
            return {"bad": False, "kind": "checked", "why": "", "page": row}   # an external or HEAD-checked target
        return None
    if root is None:
        return None
    lp = site.listing(target)
    if lp is not None and lp.items:
        return {"bad": False, "kind": "list", "why": "", "page": page}
    if lp is not None and (lp.placeholder or lp.total_items == 0):
        why = f"指向空白列表（{lp.placeholder}）" if lp.placeholder else "指向空白列表（共0条）"
        return {"bad": True, "kind": "blank", "why": why, "page": page}
    if lp is not None and lp.js_list and not lp.rendered:
        return None
    text, links = site.main_of(target)
    own = text
    for _, t in links:
        if t:
            own = own.replace(t, "", 1)
    if len("".join(own.split())) < int(conf["min_text"]) and not links:
        return {"bad": True, "kind": "blank", "why": "指向的页面没有内容", "page": page}
    return {"bad": False, "kind": "page", "why": "", "page": page}
