"""column.* and guide.*: the platform's content columns, planted defects and their look-alikes.

Planted (site.expect):
- 工作动态 (/xxgk/gzdt/) newest item 40 days old → column.stale (动态 class: 14 days);
- 通知公告 under the platform (/xxgk/tzgg/) newest item 250 days old → column.stale (6 months);
- 重大建设项目 (/xxgk/zdjsxm/) shows only “暂无信息” → column.blank;
- the guide (/xxgk/zn/guide.html, replacing base's filler text) lacks 编排体系 and 办公时间 →
  guide.incomplete;
- 双随机一公开 (/xxgk/sjgk/) whose list a failing script should fill → column.blank needs_review
  (rendered, still empty);
- 部门动态 (/xxgk/bmdt/) whose list fetch() writes, newest item 60 days old → column.stale, found
  in the page as rendered (without a browser: column.blank needs_review);
- 镇街动态 (/xxgk/zjdt/), a <dl><dd><a>title</a></dd><dd>date</dd></dl> list, newest 30 days old,
  and 基层动态 (/xxgk/jcdt/), year-less dates before the titles, newest 40 days old → column.stale.
Look-alikes that must stay silent: a fresh 动态 column (base 政务动态); a list in a <table>
(政务服务事项); a fresh list an inline script builds from a data array (政策文件; without a browser:
column.blank needs_review); year-less [MM-DD] dates (行政执法); a fresh script-filled list (公示公告); dates written 2024年3月5日 (统计信息); a
single-page column of text (机构职能); the guide writes 传真 as “传　真” and its phone with
full-width digits; base's sub-column label is the variant “信息公开<br>指南” (see base.py); a
department's complete guide in traditional characters (/xxgk/zn/jyj.html, linked from the guide).
法定主动公开内容 (base's page is replaced) links a column for every kind of 条例 art. 20.
"""
from __future__ import annotations

import datetime as dt
import html
import json

from govaudit.demo.sections.base import FILLER
from govaudit.demo.site import SITE_NAME, Site
from govaudit.extract.columns import freshness_class

PLATFORM = [("政府信息公开", "/xxgk/index.html")]
FDZD = "/xxgk/fdzdgknr/index.html"

# (label, folder, days ago of the items, layout)
CONTENT = [
    ("规范性文件", "gfxwj", [30, 90], "ul"),
    ("规划计划", "ghjh", [100], "ul"),
    ("统计信息", "tjxx", [50, 80], "cn"),
    ("政务服务事项", "zwfw", [10, 35], "table"),
    ("行政执法", "xzzf", [20, 33], "md"),
    ("财政预决算", "czyjs", [60], "ul"),
    ("收费项目", "sfxm", [90], "ul"),
    ("政府采购", "zfcg", [15], "table"),
    ("社会公益事业", "shgy", [40], "ul"),
    ("应急管理", "yjgl", [70], "ul"),
    ("生态环境", "sthj", [45], "cn"),
    ("人事信息", "rsxx", [200], "ul"),
    ("工作动态", "gzdt", [40, 55, 80], "ul"),      # stale: 动态 class allows 14 days
    ("通知公告", "tzgg", [250, 300], "table"),     # stale: 通知公告 class allows 6 months
    ("镇街动态", "zjdt", [30, 45], "dl"),          # stale, in a 大汉-style <dl><dd><a></dd><dd>date</dd></dl>
    ("基层动态", "jcdt", [40, 70], "md2"),         # stale, year-less dates before the titles: <span>11-24</span>
]
STALE = ("gzdt", "tzgg", "zjdt", "jcdt")
CRUMBS = [("政府信息公开", "/xxgk/index.html"), ("法定主动公开内容", FDZD)]


def _list_body(label: str, entries: list[tuple[str, str, dt.date]], layout: str) -> str:
    esc = html.escape
    if layout == "table":
        rows = "".join(f'<tr><td class="bt"><a href="{h}" title="{esc(t)}">{esc(t)}</a></td>'
                       f'<td>{SITE_NAME}</td><td>{d.year}年{d.month}月{d.day}日</td></tr>' for t, h, d in entries)
        lst = f'<table class="xxgk-table"><tr><th>标题</th><th>发布机构</th><th>发布日期</th></tr>{rows}</table>'
    elif layout == "md":  # year-less dates, as many CMS lists print them
        lst = '<ul class="news">' + "".join(f'<li>·<a href="{h}">{esc(t)}</a> [{d.strftime("%m-%d")}]</li>'
                                            for t, h, d in entries) + "</ul>"
    elif layout == "dl":  # 大汉 (Hanweb) style: title and date in sibling <dd>s
        lst = '<dl class="lb">' + "".join(f'<dd class="t"><a href="{h}" target="_blank">{esc(t)}</a></dd>'
                                          f'<dd class="d">{d.isoformat()}</dd>' for t, h, d in entries) + "</dl>"
    elif layout == "md2":  # year-less dates before the titles
        lst = '<ul class="gl">' + "".join(f'<li><span class="rq">{d.strftime("%m-%d")}</span><a href="{h}">{esc(t)}</a></li>'
                                          for t, h, d in entries) + "</ul>"
    elif layout == "cn":
        lst = '<div class="newslist">' + "".join(
            f'<div class="item"><a href="{h}">{esc(t)}</a><em>{d.year}年{d.month:02d}月{d.day:02d}日</em></div>'
            for t, h, d in entries) + "</div>"
    else:
        lst = '<ul class="list">' + "".join(f'<li><a href="{h}">{esc(t)}</a><span class="date">{d.isoformat()}</span></li>'
                                           for t, h, d in entries) + "</ul>"
    return f'<div class="list-box"><h2 class="col-title">{esc(label)}</h2>{lst}' \
           f'<div class="page">共{len(entries)}条 第1页/共1页</div></div>'


def _articles(site: Site, label: str, folder: str, ages: list[int]) -> list[tuple[str, str, dt.date]]:
    """One article page per age (days ago) in the column /xxgk/<folder>/: (title, path, date)."""
    path = f"/xxgk/{folder}/index.html"
    out = []
    for i, ago in enumerate(ages):
        d = site.day(ago)
        art = f"/xxgk/{folder}/{d.strftime('%Y%m')}/t{d.strftime('%Y%m%d')}_{i + 1}.html"
        title = f"{SITE_NAME}{label}（{d.year}年第{i + 1}期）"
        site.add(art, site.article(title, d, [FILLER], column=label, column_path=path))
        out.append((title, art, d))
    return out


def contribute(site: Site) -> None:
    links = []
    for label, folder, ages, layout in CONTENT:
        path = f"/xxgk/{folder}/index.html"
        entries = _articles(site, label, folder, ages)
        site.add(path, site.page(label, _list_body(label, entries, layout), column=label, crumbs=CRUMBS))
        links.append((label, path))
        if folder in STALE:
            site.expect("column.stale", path, note=f"{label}: newest item {min(ages)} days old")
    # a single-page column (text, no list): not blank
    jg = "/xxgk/jgzn/index.html"
    site.add(jg, site.page("机构职能", f'<div class="article"><h1>机构职能</h1><p>{SITE_NAME}办公室是县人民政府的办事机构，'
                                  f'负责协助县政府领导处理县政府日常工作。</p><p>{FILLER}</p></div>',
                           column="机构职能", crumbs=CRUMBS))
    links.insert(1, ("机构职能", jg))
    # a blank column: the placeholder only
    blank = "/xxgk/zdjsxm/index.html"
    site.add(blank, site.page("重大建设项目", '<div class="list-box"><h2 class="col-title">重大建设项目</h2>'
                                       '<ul class="list"></ul><p class="empty">暂无信息</p></div>',
                              column="重大建设项目", crumbs=CRUMBS))
    links.append(("重大建设项目", blank))
    site.expect("column.blank", blank, note="placeholder 暂无信息")
    # a column whose list only a script fills: to be reviewed in a browser, not called blank
    js = "/xxgk/sjgk/index.html"
    site.add("/xxgk/sjgk/list.json", '[{"title": "青山县双随机抽查结果公示", "date": "%s"}]' % site.day(5).isoformat(),
             content_type="application/json")
    site.add(js, site.page("双随机一公开", '<div class="list-box"><h2 class="col-title">双随机一公开</h2><ul id="list"></ul>'
                                    "<script>$.getJSON('/xxgk/sjgk/list.json', function (d) { render(d); });</script></div>",
                           column="双随机一公开", crumbs=CRUMBS))
    links.append(("双随机一公开", js))
    site.expect("column.blank", js, outcome="needs_review", note="its script fails: empty even when rendered")
    links += scripted_columns(site)
    links.append(array_column(site))
    # 法定主动公开内容: a directory of the content columns (replaces base's two links)
    lis = "".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for t, h in
                  [("政务动态", "/zwdt/index.html"), ("通知公告", "/tzgg/index.html")] + links)
    site.add(FDZD, site.page("法定主动公开内容", f'<div class="fdzd"><h2>法定主动公开内容</h2><ul class="fdzd-list">{lis}</ul></div>',
                             column="法定主动公开内容", crumbs=CRUMBS[:1]))
    guide(site)


# Columns whose list a working script fetches and writes (label, folder, days ago of the items).
SCRIPTED = [("部门动态", "bmdt", [60, 75]),      # stale, seen only in the rendered page (动态: 14 days)
            ("公示公告", "gsgg", [20, 40])]      # fresh when rendered: must stay silent
SCRIPT = """<script>
fetch('list.json').then(function (r) { return r.json(); }).then(function (items) {
  var ul = document.getElementById('list');
  items.forEach(function (it) {
    var li = document.createElement('li'), a = document.createElement('a'), span = document.createElement('span');
    a.href = it.url; a.textContent = it.title; span.className = 'date'; span.textContent = it.date;
    li.appendChild(a); li.appendChild(span); ul.appendChild(li);
  });
});
</script>"""


# A column whose list an inline script builds from a data array (no fetch, no template: recognised
# by behaviour — an empty list and a script writing the DOM).
ARRAY = ("政策文件", "zcwj", [20, 50])          # fresh when rendered: must stay silent
ARRAY_SCRIPT = """<script>
var docs = %s;
docs.forEach(function (it) {
  var li = document.createElement('li');
  li.innerHTML = '<a href="' + it.url + '">' + it.title + '</a><span class="date">' + it.date + '</span>';
  document.getElementById('docs').appendChild(li);
});
</script>"""


def array_column(site: Site) -> tuple[str, str]:
    label, folder, ages = ARRAY
    path = f"/xxgk/{folder}/index.html"
    items = [{"title": t, "url": art, "date": d.isoformat()} for t, art, d in _articles(site, label, folder, ages)]
    site.add(path, site.page(label, f'<div class="list-box"><h2 class="col-title">{html.escape(label)}</h2>'
                                    f'<ul id="docs"></ul>{ARRAY_SCRIPT % json.dumps(items, ensure_ascii=False)}</div>',
                             column=label, crumbs=CRUMBS))
    if not site.rendering:
        site.expect("column.blank", path, outcome="needs_review", note="list built from an inline data array, no browser")
    return label, path


def scripted_columns(site: Site) -> list[tuple[str, str]]:
    """Lists filled by fetch() at run time: the crawler renders them and reads the browser's DOM.
    Without a browser both are reported for review instead (the audit cannot see their lists)."""
    links = []
    for label, folder, ages in SCRIPTED:
        path = f"/xxgk/{folder}/index.html"
        items = [{"title": t, "url": art, "date": d.isoformat()} for t, art, d in _articles(site, label, folder, ages)]
        site.add(f"/xxgk/{folder}/list.json", json.dumps(items, ensure_ascii=False), content_type="application/json")
        site.add(path, site.page(label, f'<div class="list-box"><h2 class="col-title">{html.escape(label)}</h2>'
                                        f'<ul id="list"></ul>{SCRIPT}</div>', column=label, crumbs=CRUMBS))
        links.append((label, path))
        if not site.rendering:
            site.expect("column.blank", path, outcome="needs_review", note="script-filled list, no browser")
        elif min(ages) > (freshness_class(label) or ("", 10**6, ""))[1]:
            site.expect("column.stale", path, note=f"{label}: newest item {min(ages)} days old, in the rendered list")
    return links


def guide(site: Site) -> None:
    """The guide, missing 编排体系 and 办公时间; its fax label is spaced and its phone full-width."""
    d = site.day(30)
    paras = [
        "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（国务院令第711号）规定，编制本指南。",
        "一、主动公开。（一）公开范围：本机关主动公开的政府信息按照机构职能、法规文件、规划计划、统计信息等进行分类。"
        "（二）公开方式：主动公开的政府信息通过青山县人民政府门户网站、政府公报、政务新媒体等方式公开。"
        "（三）公开时限：自该政府信息形成或者变更之日起20个工作日内予以公开。",
        "二、依申请公开。申请人可以通过网上申请、信函、当面提交等方式提出申请，本机关收到申请后20个工作日内予以答复。",
        f"三、受理机构。受理机构：{SITE_NAME}办公室；办公地址：青山县人民路1号；联系电话：（０４７１）６２３４５６７；"
        "传　真：0471-6234568；电子邮箱：xxgk＠qingshan.gov.cn；邮政编码：015000。",
        "四、监督和救济。申请人认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关投诉、举报，"
        "也可以依法申请行政复议或者提起行政诉讼。",
    ]
    path = "/xxgk/zn/guide.html"
    dept = "/xxgk/zn/jyj.html"
    site.add(path, site.article(f"{SITE_NAME}政府信息公开指南", d, paras, column="政府信息公开指南",
                                column_path="/xxgk/zn/index.html",
                                extra=f'<p>部门指南：<a href="{dept}">{TRAD_TITLE}</a></p>'))
    site.expect("guide.incomplete", path, note="编排体系 and 办公时间 missing")
    # a department's guide written in traditional characters: complete, and read as such (inspect guide)
    site.add(dept, site.article(TRAD_TITLE, d, TRAD_GUIDE, column="政府信息公开指南", column_path="/xxgk/zn/index.html"))


TRAD_TITLE = "青山縣教育局政府資訊公開指南"
TRAD_GUIDE = [
    "為了更好地提供政府資訊公開服務，根據《中華人民共和國政府資訊公開條例》（國務院令第711號），編制本指南。",
    "一、主動公開。（一）公開範圍：本機關主動公開的政府資訊按照機構職能、政策文件、規劃計劃等進行分類。"
    "（二）編排體系：本機關政府資訊公開目錄按主題分類編排。"
    "（三）公開方式：主動公開的政府資訊通過青山縣人民政府門戶網站、政府公報、政務新媒體等方式公開。",
    "二、依申請公開。申請人可以通過網上申請、信函、當面提交等方式提出申請。",
    "三、受理機構。受理機構：青山縣教育局辦公室；辦公地址：青山縣文化路8號；辦公時間：週一至週五上午9:00-12:00；"
    "聯繫電話：0471-6234571；傳真：0471-6234572；電子郵箱：jyj@qingshan.gov.cn。",
    "四、監督和救濟。申請人認為行政機關侵犯其合法權益的，可以向上一級行政機關投訴、舉報，也可以依法申請行政復議或者提起行政訴訟。",
]
