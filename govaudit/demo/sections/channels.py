"""request.channel, catalog.missing, plan.missing: the 依申请公开 page, the 基层政务公开标准目录 and the
year's 政务公开 plans of the demo county (issue 20).

Planted (site.expect):
- the 依申请公开 page (/xxgk/ysqgk/index.html, linked from the platform by base.py) gives the phone
  0471-6234599 while the guide gives (0471)6234567 → request.channel needs_review (contact);
- the 基层政务公开标准目录 (/xxgk/jczwgk/index.html, linked from the platform by base.py): its 救灾 领域
  link answers 404 → catalog.missing fail (and link.broken, which reports every broken link);
- 政务公开工作 (/xxgk/zwgkgz/index.html, linked from the home page) lists last year's and the year
  before's 政务公开工作要点 only, no plan of this year and no summary of last year → plan.missing
  needs_review.
Look-alikes that must stay silent: the 依申请公开 page's online application form (applicant, 证件,
联系电话, 所需信息) and its link to the province's shared application system on another host; its
address written as in the guide; the other 25 领域 of the catalogue, each a list with items (a
<table> list, a <ul> list, year-less dates); the county is county level (commands/demo.py), where
the catalogue is required.
"""
from __future__ import annotations

import datetime as dt
import html

from govaudit.demo.sections.base import FILLER
from govaudit.demo.site import SITE_NAME, Site

REQUEST = "/xxgk/ysqgk/index.html"
CATALOG = "/xxgk/jczwgk/index.html"
PLANS = "/xxgk/zwgkgz/index.html"
CRUMBS = [("政府信息公开", "/xxgk/index.html")]
DOMAINS = ["重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿", "国有土地上房屋征收与补偿",
           "农村危房改造", "扶贫", "救灾", "生态环境", "公共文化服务", "公共法律服务", "户籍管理", "涉农补贴", "就业",
           "社会救助", "养老服务", "社会保险", "义务教育", "卫生健康", "城乡规划", "食品药品监管", "市政服务",
           "保障性住房", "农村集体经济"]
BROKEN = "救灾"


def contribute(site: Site) -> None:
    request_page(site)
    catalog(site)
    plans(site)


def request_page(site: Site) -> None:
    """A 依申请公开 page with a working form and the shared system's link; its phone differs from the guide's."""
    shared = f"{site.external}/ysqgk/apply.html"
    site.add_external("/ysqgk/apply.html", "<html><head><title>内蒙古自治区政府信息公开申请平台</title></head>"
                                           "<body>依申请公开</body></html>")
    esc = html.escape
    rows = [("sqrxm", "申请人姓名"), ("zjhm", "证件号码"), ("lxdh", "联系电话"), ("txdz", "通信地址")]
    fields = "".join(f'<tr><th><label for="{n}">{esc(t)}</label></th><td><input id="{n}" name="{n}" type="text"></td></tr>'
                     for n, t in rows)
    body = f"""<div class="ysq"><h2 class="col-title">依申请公开</h2>
<div class="ysq-note"><p>公民、法人或者其他组织可以通过本页在线提交政府信息公开申请，也可以通过信函、当面提交等方式提出申请。</p>
<p>受理机构：{SITE_NAME}办公室；办公地址：青山县人民路1号；联系电话：0471-6234599。</p></div>
<form id="ysqForm" class="ysq-form" action="/xxgk/ysqgk/submit" method="post"><table>{fields}
<tr><th><label for="xxms">所需信息的内容描述</label></th><td><textarea id="xxms" name="xxms"></textarea></td></tr>
</table><button type="submit">提交申请</button></form>
<p><a href="{shared}" target="_blank">网上申请（内蒙古自治区政府信息公开申请平台）</a></p></div>"""
    site.add(REQUEST, site.page("依申请公开", body, column="依申请公开", crumbs=CRUMBS))
    # the form's action answers a GET too (the crawler records form actions as links)
    site.add("/xxgk/ysqgk/submit", site.page("提交申请", "<p>请在依申请公开页面填写申请表后提交。</p>", crumbs=CRUMBS))
    site.expect("request.channel", REQUEST, outcome="needs_review", note="phone 0471-6234599, the guide's is 0471-6234567")


def _domain_list(site: Site, name: str, folder: str, i: int) -> str:
    """A 领域 list page with two items (layouts vary as on real portals), and its articles."""
    items = []
    for k, ago in enumerate((20 + i, 60 + i)):
        d = site.day(ago)
        art = f"/xxgk/jczwgk/{folder}/{d.strftime('%Y%m')}/t{d.strftime('%Y%m%d')}_{k + 1}.html"
        title = f"青山县{name}领域信息公开（{d.year}年第{k + 1}期）"
        site.add(art, site.article(title, d, [FILLER], column=name, column_path=f"/xxgk/jczwgk/{folder}/index.html"))
        items.append((title, art, d))
    esc = html.escape
    if i % 3 == 0:
        lst = '<table class="xxgk-table"><tr><th>标题</th><th>发布日期</th></tr>' + "".join(
            f'<tr><td><a href="{h}">{esc(t)}</a></td><td>{d.isoformat()}</td></tr>' for t, h, d in items) + "</table>"
    elif i % 3 == 1:
        lst = '<ul class="list">' + "".join(f'<li><a href="{h}">{esc(t)}</a><span class="date">{d.isoformat()}</span></li>'
                                           for t, h, d in items) + "</ul>"
    else:
        lst = '<ul class="news">' + "".join(f'<li>·<a href="{h}">{esc(t)}</a> [{d.strftime("%m-%d")}]</li>'
                                           for t, h, d in items) + "</ul>"
    body = f'<div class="list-box"><h2 class="col-title">{esc(name)}</h2>{lst}<div class="page">共2条 第1页/共1页</div></div>'
    return site.page(name, body, column=name, crumbs=CRUMBS + [("基层政务公开标准目录", CATALOG)])


def catalog(site: Site) -> None:
    """The county's 基层政务公开标准目录: 26 领域, one link broken."""
    lis = []
    for i, name in enumerate(DOMAINS):
        folder = f"ly{i + 1:02d}"
        path = f"/xxgk/jczwgk/{folder}/index.html"
        if name != BROKEN:
            site.add(path, _domain_list(site, name, folder, i))
        else:  # the page was never published: the link answers 404
            site.expect("catalog.missing", CATALOG, target=path, note=f"{name} 领域 link answers 404")
            site.expect("link.broken", CATALOG, target=path, note="the catalogue's broken 领域 link")
        lis.append(f'<li><a href="{path}">{html.escape(name)}</a></li>')
    body = (f'<div class="jczwgk"><h2 class="col-title">{SITE_NAME}基层政务公开标准目录</h2>'
            '<p class="intro">根据《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》（国办发〔2019〕54号），'
            '现将本县26个试点领域基层政务公开标准目录公布如下。</p>'
            f'<ul class="ly-list">{"".join(lis)}</ul></div>')
    site.add(CATALOG, site.page("基层政务公开标准目录", body, column="基层政务公开标准目录", crumbs=CRUMBS))


def plans(site: Site) -> None:
    """政务公开工作: last year's and the year before's 工作要点, nothing for this year."""
    year = site.today.year
    entries = []
    for k, y in enumerate((year - 1, year - 2)):
        d = dt.date(y, 3, 15)
        title = f"{SITE_NAME}办公室关于印发《青山县{y}年政务公开工作要点》的通知"
        art = f"/xxgk/zwgkgz/{d.strftime('%Y%m')}/t{d.strftime('%Y%m%d')}_{k + 1}.html"
        site.add(art, site.article(title, d, [FILLER], column="政务公开工作", column_path=PLANS))
        entries.append((title, art, d))
    site.add(PLANS, site.list_page("政务公开工作", entries, crumbs=CRUMBS))
    site.home_links.append(("政务公开工作", PLANS))
    site.expect("plan.missing", "/", outcome="needs_review", note=f"only the {year - 1} and {year - 2} 工作要点")
