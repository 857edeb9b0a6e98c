"""Policy interpretation (interp.*): a 政策文件 column, a 政策解读 column with every form, and the
planted cases — an unlinked pair, a late pair across a public holiday, a normative document with no
interpretation, a link built by JavaScript — beside look-alikes that must not be reported: a pair
whose titles differ in punctuation, a pair across the same holiday that is on time in working days,
a document that states why it is not interpreted.
"""
from __future__ import annotations

import datetime as dt
import html

from govaudit.demo.sections.base import FILLER, PNG
from govaudit.demo.site import Site
from govaudit.extract.workdays import OutOfRange, covered_years, is_workday
from govaudit.extract.workdays import add_workdays

DOCS_COL, DOCS_PATH = "政策文件", "/zcwj/index.html"
INTERP_COL, INTERP_PATH = "政策解读", "/zcjd/index.html"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def holiday_base(today: dt.date) -> dt.date | None:
    """The last working day before the most recent public-holiday stretch that ends at least 30 days
    before `today` and that the holiday calendar covers (None if it covers none)."""

    first, last = covered_years()
    day = min(today - dt.timedelta(days=30), dt.date(last, 12, 31))
    while day.year >= first:
        try:
            # a weekday that is not a working day: a public holiday
            if day.weekday() < 5 and not is_workday(day):
                start = day
                while not is_workday(start - dt.timedelta(days=1)):
                    start -= dt.timedelta(days=1)
                end = day
                while not is_workday(end + dt.timedelta(days=1)):
                    end += dt.timedelta(days=1)
                if (end - start).days >= 2 and end <= today - dt.timedelta(days=30):
                    return start - dt.timedelta(days=1)
                day = start
        except OutOfRange:
            return None
        day -= dt.timedelta(days=1)
    return None


def _related(label: str, links: list[tuple[str, str]]) -> str:
    lis = "".join(f'<li><a href="{h}" target="_blank">{html.escape(t)}</a></li>' for t, h in links)
    return f'<div class="related"><h4>{label}</h4><ul>{lis}</ul></div>'


def contribute(site: Site) -> None:

    site.nav.append((DOCS_COL, DOCS_PATH))
    site.nav.append((INTERP_COL, INTERP_PATH))
    docs: list[tuple[str, str, dt.date]] = []
    interps: list[tuple[str, str, dt.date]] = []

    def doc(path: str, title: str, date: dt.date, number: str, body: list[str], extra: str = "") -> None:
        site.add(path, site.article(title, date, [number.format(y=date.year)] + body, column=DOCS_COL,
                                    column_path=DOCS_PATH, extra=extra))
        docs.append((title, path, date))

    def interp(path: str, title: str, date: dt.date, body: list[str], extra: str = "") -> None:
        site.add(path, site.article(title, date, body, column=INTERP_COL, column_path=INTERP_PATH, extra=extra))
        interps.append((title, path, date))

    # 1. text interpretation, linked both ways; the titles differ in quote style (“” vs "")
    d1, i1 = "/zcwj/202401/d1.html", "/zcjd/202401/i1.html"
    t1 = "青山县人民政府关于印发《青山县“十四五”数字政府建设规划》的通知"
    ti1 = '《青山县"十四五"数字政府建设规划》政策解读'
    doc(d1, t1, site.day(6), "青政发〔{y}〕5号", [FILLER, "现将《青山县“十四五”数字政府建设规划》印发给你们，请认真贯彻执行。"],
        _related("相关解读", [(ti1, i1)]))
    interp(i1, ti1, site.day(5), ["一、起草背景", FILLER, "二、主要内容", FILLER * 2, "三、保障措施", FILLER],
           '<p>相关文件：<a href="' + d1 + '">' + html.escape(t1) + "</a></p>")

    # 2. 图解 and 视频 interpretations of one normative document, linked both ways
    d2, i2, i3 = "/zcwj/202401/d2.html", "/zcjd/202401/i2.html", "/zcjd/202401/i3.html"
    t2 = "青山县优化营商环境若干措施"
    doc(d2, t2, site.day(10), "青政规〔{y}〕1号", [FILLER, FILLER],
        _related("相关解读", [(f"一图读懂《{t2}》", i2), (f"视频解读：{t2}", i3)]))
    site.add("/zcjd/images/yitu-yshj.png", PNG, content_type="image/png")
    interp(i2, f"一图读懂《{t2}》", site.day(9),
           ['<img src="/zcjd/images/yitu-yshj.png" width="900" height="4200" alt="一图读懂优化营商环境若干措施">'],
           f'<p>政策原文：<a href="{d2}">{t2}</a></p>')
    site.add("/zcjd/media/yshj.mp4", MP4, content_type="video/mp4")
    site.add("/zcjd/images/yshj-poster.png", PNG, content_type="image/png")
    interp(i3, f"视频解读：{t2}", site.day(8),
           ['<video controls width="800" src="/zcjd/media/yshj.mp4" poster="/zcjd/images/yshj-poster.png"></video>',
            "县发展改革局负责同志解读《青山县优化营商环境若干措施》。"],
           f'<p>相关文件：<a href="{d2}">{t2}</a></p>')

    # 3. 问答 interpretation, linked both ways
    d3, i4 = "/zcwj/202401/d3.html", "/zcjd/202401/i4.html"
    t3 = "青山县城乡居民医疗救助办法"
    doc(d3, t3, site.day(14), "青政规〔{y}〕2号", [FILLER, FILLER], _related("相关解读", [(f"《{t3}》问答", i4)]))
    interp(i4, f"《{t3}》问答", site.day(13),
           ["问一：哪些人可以申请医疗救助？", "答：具有本县户籍的特困人员、低保对象和低保边缘家庭成员。",
            "问二：救助标准是多少？", "答：政策范围内个人自付费用按70%比例救助，年度限额3万元。",
            "问三：到哪里申请？", "答：向户籍所在地乡镇人民政府（街道办事处）申请。"],
           f'<p>相关文件：<a href="{d3}">{t3}</a></p>')

    # 4. PLANTED interp.unlinked: an H5 interpretation links its document, the document does not link back
    d4, i5 = "/zcwj/202401/d4.html", "/zcjd/202401/i5.html"
    t4 = "青山县促进就业创业实施办法"
    doc(d4, t4, site.day(20), "青政办发〔{y}〕8号", [FILLER, FILLER])
    site.add_external("/h5/jycy/index.html", "<html><head><title>H5</title></head><body>H5</body></html>")
    interp(i5, f"H5｜{t4}", site.day(19),
           [f'<iframe src="{site.external}/h5/jycy/index.html" width="375" height="667"></iframe>'],
           f'<p>相关文件：<a href="{d4}">{t4}</a></p>')
    site.expect("interp.unlinked", i5, d4, note="document does not link its interpretation")

    # 5. across a public holiday: a late pair (PLANTED) and an on-time look-alike
    base = holiday_base(site.today)
    if base is not None:
        d5, i6 = "/zcwj/202401/d5.html", "/zcjd/202401/i6.html"
        t5 = "青山县农村人居环境整治提升行动方案"
        ti6 = f"《{t5}》解读"
        doc(d5, t5, base, "青政办发〔{y}〕9号", [FILLER, FILLER], _related("相关解读", [(ti6, i6)]))
        interp(i6, ti6, add_workdays(base, 5), [FILLER, FILLER], f'<p>相关文件：<a href="{d5}">{t5}</a></p>')
        site.expect("interp.late", i6, d5, note="5 working days after its document, across a holiday")
        d6, i7 = "/zcwj/202401/d6.html", "/zcjd/202401/i7.html"
        t6 = "青山县公共租赁住房管理办法"
        ti7 = f"《{t6}》政策解读"
        doc(d6, t6, base, "青政规〔{y}〕3号", [FILLER, FILLER], _related("相关解读", [(ti7, i7)]))
        interp(i7, ti7, add_workdays(base, 2), [FILLER, FILLER], f'<p>相关文件：<a href="{d6}">{t6}</a></p>')

    # 6. PLANTED interp.missing: a normative document with no interpretation
    d7 = "/zcwj/202401/d7.html"
    doc(d7, "青山县城市管理综合执法办法", site.day(30), "青政规〔{y}〕4号", [FILLER, FILLER])
    site.expect("interp.missing", d7, outcome="needs_review", note="normative document, no interpretation")
    # look-alike: a document that says why it is not interpreted
    doc("/zcwj/202401/d8.html", "青山县人民政府关于调整县政府领导工作分工的通知", site.day(25), "青政发〔{y}〕12号",
        [FILLER, "本文件属于内部工作分工调整，不涉及公众切身利益，不予解读。"])

    # 7. PLANTED interp.unlinked needs_review: the interpretation's 相关文件 link is written by a script
    d9, i8 = "/zcwj/202401/d9.html", "/zcjd/202401/i8.html"
    t9 = "青山县养老服务补贴实施细则"
    ti8 = f"关于《{t9}》的解读"
    doc(d9, t9, site.day(4), "青政规〔{y}〕5号", [FILLER, FILLER], _related("相关解读", [(ti8, i8)]))
    interp(i8, ti8, site.day(3), [FILLER, FILLER],
           '<p>相关文件：<span id="xgwj"></span></p><script>document.getElementById("xgwj").innerHTML='
           f"'<a href=\"{d9}\">{t9}</a>';</script>")
    site.expect("interp.unlinked", i8, d9, outcome="needs_review", note="相关文件 link built by JavaScript")

    newest_first = lambda rows: sorted(rows, key=lambda r: r[2], reverse=True)  # noqa: E731
    crumbs = [(DOCS_COL, DOCS_PATH)]
    site.add(DOCS_PATH, site.list_page(DOCS_COL, newest_first(docs), crumbs=crumbs))
    site.add(INTERP_PATH, site.list_page(INTERP_COL, newest_first(interps), crumbs=[(INTERP_COL, INTERP_PATH)]))
