"""Document metadata (doc.metadata, 8.2.2): a 部门文件 column whose documents carry their 公开属性 block
in three markups other than the chrome's (gov.cn-style bd1 table, 集约化 <ul><li><span>, <dl>), with
planted defects — a missing 主题分类, a 成文日期 after the 发布日期, one 索引号 on two documents, a
block 文号 that differs from the body's, a 规范性文件 (规 in its 文号) with no 有效性 — beside complete
look-alikes: synonyms (发文机关, 印发日期, 信息分类), a 文号 written 无 with none in the body, a
规范性文件 marked 现行有效, a body 文号 in [2024] style against 〔2024〕 in the block.

All defects of a unit are one doc.metadata finding (counts per defect, examples): the expectation
is that finding; `PLANTS` lists which document shows which defect (tests/test_demo_doc_meta.py
checks the finding's examples against it).
"""
from __future__ import annotations

import datetime as dt
import html

from govaudit.demo.sections.base import FILLER
from govaudit.demo.site import SITE_NAME, Site

COL, PATH = "部门文件", "/bmwj/index.html"
# document path -> the defects planted on it (doc.metadata's defect kinds)
PLANTS: dict[str, list[str]] = {
    "/bmwj/m1.html": ["missing_subject"],
    "/bmwj/m2.html": ["written_after_published"],
    "/bmwj/m3.html": ["index_duplicate"],
    "/bmwj/m4.html": ["index_duplicate"],
    "/bmwj/m5.html": ["docno_differs"],
    "/bmwj/m6.html": ["validity_missing"],
}
PREFIX = "11152999MB0000000X/"
NO_INTERP = "本文件为部门工作部署，不予解读。"   # these documents are no interp.missing cases


def _bd1(pairs: list[tuple[str, str]]) -> str:
    """gov.cn-style: <td><b>label：</b></td><td>value</td>, two pairs a row."""
    cells = [f"<td><b>{k}：</b></td><td>{html.escape(v)}</td>" for k, v in pairs]
    rows = "".join("<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2))
    return f'<table class="bd1">{rows}</table>'


def _ul(pairs: list[tuple[str, str]]) -> str:
    """集约化-platform style: <li><span>label：</span>value</li>."""
    lis = "".join(f'<li class="w50"><span>{k}：</span>{html.escape(v)}</li>' for k, v in pairs)
    return f'<div class="detail-attr"><ul class="clearfix">{lis}</ul></div>'


def _dl(pairs: list[tuple[str, str]]) -> str:
    dls = "".join(f"<dl><dt>{k}</dt><dd>{html.escape(v)}</dd></dl>" for k, v in pairs)
    return f'<div class="gk-info">{dls}</div>'


def contribute(site: Site) -> None:
    site.nav.append((COL, PATH))
    y = site.today.year
    entries: list[tuple[str, str, dt.date]] = []
    n = 0

    def doc(path: str, title: str, date: dt.date, block: str, number: str | None, text: str = FILLER) -> None:
        nonlocal n
        n += 1
        line = f'<p style="text-align:center">{html.escape(number)}</p>' if number else ""
        body = (f'<div class="xxgk-detail">{block}<h1 class="title">{html.escape(title)}</h1>'
                f'<div class="content">{line}<p>{text}</p><p>{NO_INTERP}</p></div></div>')
        meta = {"ArticleTitle": title, "PubDate": date.isoformat() + " 09:00", "ContentSource": SITE_NAME}
        site.add(path, site.page(title, body, column=COL, crumbs=[(COL, PATH)], meta=meta))
        entries.append((title, path, date))

    def idx(k: int) -> str:
        return f"{PREFIX}{y}-9{k:04d}"

    # PLANTED: 主题分类 left empty (bd1 table)
    d = site.day(12)
    doc("/bmwj/m1.html", "青山县农牧局关于做好春季动物防疫工作的通知", d,
        _bd1([("索 引 号", idx(1)), ("主题分类", ""), ("发文机关", "青山县农牧局"), ("成文日期", f"{d:%Y年%m月%d日}"),
              ("发文字号", f"青农牧发〔{y}〕3号"), ("发布日期", f"{d:%Y年%m月%d日}")]), f"青农牧发〔{y}〕3号")
    # PLANTED: 成文日期 four days after the 发布日期 (ul)
    d = site.day(15)
    doc("/bmwj/m2.html", "青山县交通运输局关于加强农村公路养护管理的通知", d,
        _ul([("索&nbsp;引&nbsp;号", idx(2)), ("发布单位", "青山县交通运输局"), ("主题分类", "交通运输"),
             ("发文文号", f"青交发〔{y}〕4号"), ("成文日期", (d + dt.timedelta(days=4)).isoformat()),
             ("发布日期", d.isoformat())]), f"青交发〔{y}〕4号")
    # PLANTED: one 索引号 on two different documents (dl)
    for k, (title, ago, num) in enumerate([("青山县水利局关于做好汛期安全工作的通知", 18, 5),
                                           ("青山县水利局关于开展河湖“清四乱”专项行动的通知", 19, 6)]):
        d = site.day(ago)
        doc(f"/bmwj/m{3 + k}.html", title, d,
            _dl([("索引号", idx(3)), ("发布机构", "青山县水利局"), ("成文日期", d.isoformat()), ("发布日期", d.isoformat()),
                 ("主题分类", "水利"), ("文号", f"青水发〔{y}〕{num}号")]), f"青水发〔{y}〕{num}号")
    # PLANTED: the block says 7号, the body 8号 (bd1)
    d = site.day(21)
    doc("/bmwj/m5.html", "青山县市场监督管理局关于开展食品安全专项检查的通知", d,
        _bd1([("索 引 号", idx(5)), ("主题分类", "市场监管"), ("发文机关", "青山县市场监督管理局"), ("成文日期", d.isoformat()),
              ("发文字号", f"青市监发〔{y}〕7号"), ("发布日期", d.isoformat())]), f"青市监发〔{y}〕8号")
    # PLANTED: a 规范性文件 (青人社规) with no 有效性 anywhere (ul)
    d = site.day(24)
    doc("/bmwj/m6.html", "青山县就业困难人员认定管理办法", d,
        _ul([("索 引 号", idx(6)), ("发布单位", "青山县人力资源和社会保障局"), ("主题分类", "劳动、人事"),
             ("发文文号", f"青人社规〔{y}〕1号"), ("成文日期", d.isoformat()), ("发布日期", d.isoformat())]),
        f"青人社规〔{y}〕1号", "第一条 为规范就业困难人员认定工作，制定本办法。")
    # look-alikes: complete blocks with synonyms; 文号 无 and none in the body; a 规范性文件 marked 现行有效;
    # a body 文号 in [..] brackets against 〔..〕 in the block
    d = site.day(26)
    doc("/bmwj/k1.html", "青山县卫生健康委员会关于开展爱国卫生月活动的通知", d,
        _bd1([("索 引 号", idx(11)), ("信息分类", "卫生、体育"), ("发文机关", "青山县卫生健康委员会"), ("印发日期", d.isoformat()),
              ("发文字号", "无"), ("公开日期", d.isoformat())]), None)
    d = site.day(27)
    doc("/bmwj/k2.html", "青山县城乡居民临时救助实施办法", d,
        _dl([("索引号", idx(12)), ("发布机构", "青山县民政局"), ("成文日期", (d - dt.timedelta(days=2)).isoformat()),
             ("发布日期", d.isoformat()), ("主题分类", "民政"), ("文号", f"青民规〔{y}〕2号"), ("效力状态", "现行有效")]),
        f"青民规〔{y}〕2号", "第一条 为规范临时救助工作，制定本办法。")
    d = site.day(28)
    doc("/bmwj/k3.html", "青山县自然资源局关于做好耕地保护工作的通知", d,
        _ul([("索 引 号", idx(13)), ("发布单位", "青山县自然资源局"), ("主题分类", "国土资源"),
             ("发文文号", f"青自然资发〔{y}〕9号"), ("成文日期", d.isoformat()), ("发布日期", d.isoformat())]),
        f"青自然资发[{y}]9号")
    site.add(PATH, site.list_page(COL, sorted(entries, key=lambda e: e[2], reverse=True), crumbs=[(COL, PATH)]))
    site.expect("doc.metadata", "/", note="部门文件: " + "; ".join(f"{p} {'+'.join(k)}" for p, k in PLANTS.items()))
