"""The disclosure guide: elements with their text, Chinese phone/fax formats, outdated signals, rules."""
from __future__ import annotations

import datetime as dt

from govaudit.extract.guide import read_guide
from tests.platform_site import build, outcomes, page, problems

D = dt.date
TODAY = D(2024, 6, 10)

FULL = """测试县人民政府政府信息公开指南
根据《中华人民共和国政府信息公开条例》（国务院令第711号），编制本指南。
一、主动公开 （一）公开范围与分类：本机关主动公开的政府信息按主题分类。（二）编排体系：按照机构职能、政策文件、规划计划等栏目编排。
（三）公开方式：主动公开的政府信息通过本机关门户网站、政府公报、新闻发布会等方式公开。
二、依申请公开 申请人可以通过网上申请、信函、当面提交等方式提出政府信息公开申请，本机关在20个工作日内答复。
三、受理机构 名称：测试县人民政府办公室 办公地址：测试县人民路1号 办公时间：周一至周五 上午8:30—12:00，下午14:30—18:00（法定节假日除外）
联系电话：０４７１－６２３４５６７ 传 真：(0471)6234568 电子邮箱：xxgk＠test.gov.cn 网上申请：http://www.test.gov.cn/ysqgk/
四、监督和救济 公民、法人或者其他组织认为行政机关侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。"""


def test_complete_guide_with_spaced_fax_label() -> None:
    rep = read_guide(FULL)
    assert rep.missing == []
    assert rep.elements["fax"]["match"].replace(" ", "") == "传真:(0471)6234568"
    assert rep.faxes == ["(0471)6234568"]
    assert rep.phones == ["0471-6234567"]          # full-width digits and dash folded
    assert rep.emails == ["xxgk@test.gov.cn"]       # ＠ folded
    assert "周一至周五" in rep.elements["hours"]["text"]
    assert rep.outdated == []


def test_missing_elements_reported_with_what_was_found() -> None:
    text = FULL.replace("传 真：(0471)6234568 ", "").replace("办公时间：周一至周五 上午8:30—12:00，下午14:30—18:00（法定节假日除外）", "")
    text = text.replace("（二）编排体系：按照机构职能、政策文件、规划计划等栏目编排。", "")
    rep = read_guide(text)
    assert sorted(rep.missing) == ["arrangement", "fax", "hours"]
    assert rep.elements["phone"]["found"] and rep.elements["remedy"]["match"] == "行政复议"


def test_article_metadata_is_not_guide_content() -> None:
    """主题分类 in an article's info table does not make the guide give its classification."""
    assert not read_guide("索引号：123 主题分类：政务公开 发布日期：2024-01-02").elements["classification"]["found"]


def test_fax_number_alone_is_not_a_phone() -> None:
    rep = read_guide("受理机构：测试县人民政府办公室 传真：0471-6234568")
    assert rep.elements["fax"]["found"] and not rep.elements["phone"]["found"] and rep.phones == []


def test_phone_formats() -> None:
    for text, num in [("电话：0471-1234567", "0471-1234567"), ("联系电话：（0471）1234567", "(0471)1234567"),
                      ("电 话：0471 12345678转801", "047112345678转801"), ("咨询电话：13912345678", "13912345678"),
                      ("服务热线电话：12345", "12345")]:
        rep = read_guide(text)
        assert rep.elements["phone"]["found"], text
    assert read_guide("邮编：015000").phones == []


def test_outdated_signals() -> None:
    old = FULL.replace("（国务院令第711号）", "（国务院令第492号）").replace("20个工作日", "15个工作日")
    rep = read_guide(old)
    assert {o["reason"] for o in rep.outdated} == {"answer_15_days", "old_regulation"}
    # citing the 2008 text beside the 2019 revision is history, not an outdated guide
    both = FULL + "原《条例》（国务院令第492号）同时废止。"
    assert read_guide(both).outdated == []


# -- rules over a stored crawl ------------------------------------------------------------------
def _site(guide_html: str | None, guide_title: str = "测试县人民政府政府信息公开指南", guide_date: dt.date = TODAY,
          in_column: bool = True) -> dict[str, str]:
    side = '<div class="side"><a href="/xxgk/zn/">信息公开<br>指南</a></div>' if in_column else ""
    pages = {"/": page("首页", '<div class="nav"><a href="/xxgk/">政府信息公开</a></div>'),
             "/xxgk/": page("政府信息公开", side + '<a href="/misc/">其他信息</a><a href="/misc2/">其他说明</a>')}
    if in_column:
        pages["/xxgk/zn/"] = page("指南", side + f'<ul class="list"><li><a href="/xxgk/zn/g.html">{guide_title}</a>'
                                  f'<span>{guide_date.isoformat()}</span></li></ul>')
    if guide_html is not None:
        pages["/xxgk/zn/g.html" if in_column else "/misc/"] = page(
            guide_title, f'<div class="info">发布日期：{guide_date.isoformat()}</div><div class="content">{guide_html}</div>')
    return pages


def test_guide_rules_quiet_on_a_good_guide(tmp_path) -> None:
    ctx = build(tmp_path, _site(FULL.replace("\n", "<br>")), TODAY)
    res = outcomes(ctx, "guide.missing")
    assert res[0].outcome == "pass" and res[0].data["how"] == "column item"
    assert problems(ctx, "guide.incomplete") == [] and problems(ctx, "guide.outdated") == []


def test_guide_missing(tmp_path) -> None:
    ctx = build(tmp_path, _site(None, in_column=False), TODAY)
    res = problems(ctx, "guide.missing")
    assert len(res) == 1 and res[0].outcome == "fail" and res[0].url == "http://www.example.gov.cn/xxgk/"
    assert outcomes(ctx, "guide.incomplete")[0].outcome == "not_applicable"


def test_guide_found_by_page_title_and_incomplete(tmp_path) -> None:
    text = "<p>本机关主动公开的政府信息通过门户网站等方式公开。</p><p>申请人可以提出申请。</p>"
    ctx = build(tmp_path, _site(text, in_column=False), TODAY)
    assert outcomes(ctx, "guide.missing")[0].outcome == "pass"
    fails = problems(ctx, "guide.incomplete")
    assert len(fails) == 1 and fails[0].outcome == "fail"
    assert {"fax", "phone", "address", "hours"} <= set(fails[0].data["missing"])
    assert "proactive" not in fails[0].data["missing"]
    assert fails[0].data["elements"]["proactive"]["text"]


def test_guide_outdated_by_text_and_by_age(tmp_path) -> None:
    ctx = build(tmp_path, _site(FULL.replace("20个工作日", "15个工作日")), TODAY)
    res = problems(ctx, "guide.outdated")
    assert len(res) == 1 and res[0].outcome == "needs_review" and res[0].data["reasons"][0]["reason"] == "answer_15_days"
    ctx2 = build(tmp_path / "2", _site(FULL, guide_date=D(2019, 5, 1)), TODAY)
    res2 = problems(ctx2, "guide.outdated")
    assert len(res2) == 1 and res2[0].data["reasons"][0]["reason"] == "old" and res2[0].data["date_source"] == "label:发布日期"


def test_guide_attachment_is_found_but_not_read(tmp_path) -> None:
    pages = _site(None)
    pages["/xxgk/zn/"] = page("指南", '<ul class="list"><li><a href="/xxgk/zn/guide.pdf">测试县政府信息公开指南</a>'
                              '<span>2024-01-02</span></li></ul>')
    ctx = build(tmp_path, pages, TODAY)
    assert outcomes(ctx, "guide.missing")[0].outcome == "pass"
    assert outcomes(ctx, "guide.incomplete")[0].outcome == "not_measured"


def test_inspect_guide_cli(tmp_path) -> None:
    import json

    from tests.conftest import run_cli

    f = tmp_path / "guide.html"
    f.write_text(page("测试县政府信息公开指南", '<p>发布日期：2024-05-01</p><div class="content">'
                      + FULL.replace("\n", "<br>") + "</div>"), encoding="utf-8")
    proc = run_cli("inspect", "guide", str(f), "--json", timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["missing"] == [] and out["publish_date"]["date"] == "2024-05-01"
    assert out["elements"]["fax"]["found"] and out["faxes"] == ["(0471)6234568"]


def test_guide_attachment_downloaded_as_docx_is_read(tmp_path) -> None:
    import hashlib
    import io

    import docx

    d = docx.Document()
    for line in FULL.splitlines():
        d.add_paragraph(line.replace("传 真：(0471)6234568 ", ""))
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    pages = _site(None)
    pages["/xxgk/zn/"] = page("指南", '<ul class="list"><li><a href="/xxgk/zn/guide.docx">测试县政府信息公开指南</a>'
                              '<span>2024-01-02</span></li></ul>')
    ctx = build(tmp_path, pages, TODAY)
    url = "http://www.example.gov.cn/xxgk/zn/guide.docx"
    digest = hashlib.sha256(data).hexdigest()
    ctx.store.write_batch([{"run_id": ctx.run_id, "unit_id": "u", "url": url, "final_url": url, "status": 200,
                            "method": "GET", "purpose": "attachment", "size": len(data), "sha256": digest,
                            "content_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}],
                          [], [(digest, data)])
    fails = problems(ctx, "guide.incomplete")
    assert len(fails) == 1 and fails[0].data["missing"] == ["fax"] and fails[0].data["how"] == "attachment"
    assert problems(ctx, "guide.outdated") == []
