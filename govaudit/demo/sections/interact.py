"""Interaction (interact.*): a 政民互动 hub with a 县长信箱 of 24 letters over two list pages, each
with its detail page, a statistics line, and an 在线访谈 column. Planted: a letter left unanswered
for 130 days, a reply 25 working days late, an answered letter that names no 答复单位. Look-alikes
that must stay silent: a letter answered in two working days, a letter still 办理中 but only 20 days
old, 在线访谈 items with no reply at all (访谈 is excluded from the census veto).
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from govaudit.demo.site import Site
from govaudit.extract.workdays import add_workdays, covers, is_workday

HUB, HUB_LABEL = "/zmhd/index.html", "政民互动"
COL, COL_LABEL = "/zmhd/xzxx/index.html", "县长信箱"
PAGE2 = "/zmhd/xzxx/index_1.html"
ZXFT, ZXFT_LABEL = "/zmhd/zxft/index.html", "在线访谈"
WRITE = "/zmhd/xzxx/write.html"
PER_PAGE = 13
UNITS = ("县教育体育局", "县住房和城乡建设局", "县人力资源和社会保障局", "县交通运输局", "县卫生健康委员会", "县自然资源局")
TOPICS = ("幼儿园入园报名", "老旧小区改造", "灵活就业社保缴费", "村道路灯维修", "新生儿疫苗接种", "宅基地确权", "公交线路调整",
          "城乡居民医保缴费", "农村饮水安全", "小区停车位配建", "职业技能培训补贴", "学区划分")


@dataclass
class Letter:
    n: int
    title: str
    asked: dt.date
    answered: dt.date | None
    unit: str
    status: str

    @property
    def path(self) -> str:
        return f"/zmhd/xzxx/{self.asked:%Y%m}/t{self.asked:%Y%m%d}_{1000 + self.n}.html"


def _workday_on_or_before(d: dt.date) -> dt.date:
    while not is_workday(d):
        d -= dt.timedelta(days=1)
    return d


def _letters(site: Site) -> list[Letter]:
    today = site.today
    calendar = covers(today) and covers(site.day(140))
    out: list[Letter] = []
    for i in range(21):
        asked = site.day(8 + 4 * i)
        if calendar:
            asked = _workday_on_or_before(asked)
            answered = add_workdays(asked, 1 + i % 4)
        else:   # no holiday data for these years: replies within four calendar days
            answered = asked + dt.timedelta(days=1 + i % 4)
        out.append(Letter(i, f"关于{TOPICS[i % len(TOPICS)]}问题的咨询（{i + 1}）", asked, answered,
                          UNITS[i % len(UNITS)], "已办结"))
    # plant: a letter unanswered for 130 days (the census veto: over 3 months)
    out.append(Letter(90, "关于村内河道长期黑臭问题的反映", site.day(130), None, "", "办理中"))
    # look-alike: still 办理中, but only 20 days old
    out.append(Letter(91, "关于小区电梯加装补贴申请进度的咨询", site.day(20), None, "", "办理中"))
    # plant: an answered letter that names no 答复单位, neither in its row nor on its page
    out.append(Letter(92, "关于集贸市场摊位租金标准的咨询", site.day(12), site.day(10), "", "已办结"))
    if calendar:
        # plant: a reply 25 working days after the letter (more than 10)
        asked = _workday_on_or_before(site.day(70))
        out.append(Letter(93, "关于农村危房改造补助发放的咨询", asked, add_workdays(asked, 25), "县住房和城乡建设局", "已办结"))
    out.sort(key=lambda x: x.asked, reverse=True)
    return out


def _row(x: Letter) -> str:
    return (f'<tr><td class="bt"><a href="{x.path}" target="_blank" title="{html.escape(x.title)}">{html.escape(x.title)}</a></td>'
            f'<td>{x.asked.isoformat()}</td><td>{x.status}</td><td>{html.escape(x.unit)}</td>'
            f'<td>{x.answered.isoformat() if x.answered else ""}</td></tr>')


def _list_page(site: Site, rows: list[Letter], page: int, pages: int, total: int, done: int) -> str:
    head = "<tr><th>信件标题</th><th>来信时间</th><th>办理状态</th><th>答复单位</th><th>答复时间</th></tr>"
    links = [f'<a href="{COL if p == 0 else f"/zmhd/xzxx/index_{p}.html"}">{p + 1}</a>' if p != page
             else f"<span>{p + 1}</span>" for p in range(pages)]
    if page + 1 < pages:
        links.append(f'<a href="/zmhd/xzxx/index_{page + 1}.html">下一页</a>')
    if page > 0:
        links.insert(0, f'<a href="{COL if page == 1 else f"/zmhd/xzxx/index_{page - 1}.html"}">上一页</a>')
    body = (f'<div class="mail-box"><h2 class="col-title">{COL_LABEL}</h2>'
            f'<p class="mail-tj">{site.today.year}年以来共收到来信 {total} 件，已办结 {done} 件。'
            f'<a href="{WRITE}">我要写信</a></p>'
            f'<table class="mail-list">{head}{"".join(_row(x) for x in rows)}</table>'
            f'<div class="page">{" ".join(links)} 共{total}条 第{page + 1}页/共{pages}页</div></div>')
    return site.page(COL_LABEL, body, column=COL_LABEL, crumbs=[(HUB_LABEL, HUB), (COL_LABEL, COL)])


def _detail(site: Site, x: Letter) -> str:
    reply = (f"您好！您反映的问题已收悉。经核实，{html.escape(x.title[2:-4])}相关事项已按规定办理，感谢您的关注。"
             if x.answered else "")
    body = (f'<div class="mail-detail"><h1 class="title">{html.escape(x.title)}</h1><table class="mail-info">'
            f'<tr><th>信件编号：</th><td>{x.asked:%Y%m%d}{x.n:03d}</td><th>办理状态：</th><td>{x.status}</td></tr>'
            f'<tr><th>来信时间：</th><td>{x.asked.isoformat()}</td><th>答复时间：</th><td>{x.answered.isoformat() if x.answered else ""}</td></tr>'
            f'<tr><th>来信内容：</th><td colspan="3">我想了解{html.escape(x.title[2:-4])}的有关情况，请予答复。</td></tr>'
            f'<tr><th>答复单位：</th><td colspan="3">{html.escape(x.unit)}</td></tr>'
            f'<tr><th>答复内容：</th><td colspan="3">{reply}</td></tr></table></div>')
    date = x.answered or x.asked
    meta = {"ArticleTitle": x.title, "PubDate": date.isoformat() + " 09:00", "ContentSource": "县长信箱"}
    return site.page(x.title, body, column=COL_LABEL, crumbs=[(HUB_LABEL, HUB), (COL_LABEL, COL)], meta=meta)


def contribute(site: Site) -> None:
    site.nav.append((HUB_LABEL, HUB))
    letters = _letters(site)
    pages = (len(letters) + PER_PAGE - 1) // PER_PAGE
    done = sum(1 for x in letters if x.answered) + 130
    for p in range(pages):
        path = COL if p == 0 else f"/zmhd/xzxx/index_{p}.html"
        site.add(path, _list_page(site, letters[p * PER_PAGE:(p + 1) * PER_PAGE], p, pages, len(letters) + 132, done))
    for x in letters:
        site.add(x.path, _detail(site, x))
    site.add(WRITE, site.page("我要写信", '<div class="article"><h1 class="title">我要写信</h1><div class="content">'
                              '<p>请通过内蒙古自治区12345政务服务便民热线平台提交来信，我们将在10个工作日内答复。</p></div></div>',
                              column=COL_LABEL, crumbs=[(HUB_LABEL, HUB), (COL_LABEL, COL)]))
    # 在线访谈: items with no reply at all, long ago: excluded from the census veto, never judged
    talks = [(f"{who}谈{what}", f"/zmhd/zxft/{site.day(d):%Y%m}/ft{k}.html", site.day(d))
             for k, (who, what, d) in enumerate([("县长", "乡村振兴重点工作", 200), ("教育体育局局长", "义务教育招生政策", 230),
                                                 ("医保局局长", "城乡居民医保政策调整", 260)])]
    lis = "".join(f'<li><a href="{h}">{html.escape(t)}</a><span class="date">{d.isoformat()}</span><span>未回复</span></li>'
                  for t, h, d in talks)
    site.add(ZXFT, site.page(ZXFT_LABEL, f'<div class="list-box"><h2 class="col-title">{ZXFT_LABEL}</h2>'
                             f'<ul class="list">{lis}</ul></div>', column=ZXFT_LABEL,
                             crumbs=[(HUB_LABEL, HUB), (ZXFT_LABEL, ZXFT)]))
    for t, h, d in talks:
        site.add(h, site.article(t, d, [f"本期访谈嘉宾：{t[:t.index('谈')]}。", "访谈内容整理中。"],
                                 column=ZXFT_LABEL, column_path=ZXFT))
    newest = letters[:4]
    hub_list = "".join(f'<li><a href="{x.path}">{html.escape(x.title)}</a><span class="date">{x.asked.isoformat()}</span></li>'
                       for x in newest)
    site.add(HUB, site.page(HUB_LABEL, f'<div class="zmhd"><h2 class="col-title">{HUB_LABEL}</h2>'
                            f'<ul class="sub"><li><a href="{COL}">{COL_LABEL}</a></li><li><a href="{ZXFT}">{ZXFT_LABEL}</a></li>'
                            f'<li><a href="{WRITE}">我要写信</a></li></ul>'
                            f'<h3>最新来信</h3><ul class="list">{hub_list}</ul></div>',
                            column=HUB_LABEL, crumbs=[(HUB_LABEL, HUB)]))
    by_n = {x.n: x for x in letters}
    site.expect("interact.unanswered", by_n[90].path, by_n[90].path, note="县长信箱来信130天未答复（超过90天，单项否决）")
    site.expect("interact.fields", COL, note="一条已办结来信未标注答复单位")
    if 93 in by_n:
        site.expect("interact.late-reply", by_n[93].path, by_n[93].path, outcome="needs_review",
                    note="来信后25个工作日才答复（超过10个工作日）")
