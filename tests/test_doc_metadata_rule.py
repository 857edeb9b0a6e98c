"""doc.metadata beyond its golden cases: settings, 文号 in other bracket styles, duplicates across
URLs and pagination, unknown settings, the evidence a reviewer reads."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from govaudit.model import Unit
from tests.crawlkit import Crawl, problems

FIX = Path(__file__).parent / "fixtures" / "doc_meta"
UNIT = Unit(id="u", name="青山县人民政府", url="http://www.qs.gov.cn/")
NAV = '<div class="nav"><a href="/">首页</a><a href="/zcwj/">政策文件</a></div>'


def site(tmp_path: Path, docs: dict[str, str]) -> Crawl:
    """A home page, a 政策文件 column listing `docs` (path -> fixture file), and the documents."""
    crawl = Crawl(tmp_path / "t.sqlite", UNIT, today=dt.date(2024, 6, 20))
    crawl.page("/", f"<html><body>{NAV}</body></html>")
    lis = "".join(f'<li><a href="{p}">文件{i}标题较长的一件政策文件</a><span>2024-05-0{i + 1}</span></li>'
                  for i, p in enumerate(docs))
    crawl.page("/zcwj/", f'<html><body>{NAV}<h2>政策文件</h2><ul class="list">{lis}</ul></body></html>')
    for path, name in docs.items():
        crawl.page(path, (FIX / name).read_bytes())
    return crawl


def test_fixture_markups_judged_as_one_unit(tmp_path):
    crawl = site(tmp_path, {"/zcwj/a.html": "govcn_bd1.html", "/zcwj/b.html": "hanweb_xxgk_table.html",
                            "/zcwj/c.html": "jiyue_ul.html", "/zcwj/d.html": "dl_grid.html",
                            "/zcwj/e.html": "table_2xn.html", "/zcwj/f.html": "trs_cell_list.html",
                            "/zcwj/g.html": "jiangsu_td_labels.html"})
    [f] = crawl.run("doc.metadata")
    assert f.outcome == "fail" and f.data["documents"] == 7
    by_kind = {k: sorted(e["url"].rsplit("/", 1)[-1] for e in v) for k, v in f.data["examples"].items()}
    assert by_kind == {
        "missing_subject": ["d.html", "e.html", "f.html"],        # absent, an empty cell, a ${slot}
        "written_after_published": ["b.html", "d.html"],          # 生成日期 after 公开日期; 03-12 after 03-02
        "docno_differs": ["b.html"],                              # block 3号, body 4号
        "validity_missing": ["b.html"],                           # 规 文号 and a 行政规范性文件 type, 有效性 empty
    }
    assert "缺少主题分类 3 件" in f.message and f.data["documents_with_defects"] == 4
    [ev] = [e for e in f.evidence if e.url.endswith("/zcwj/b.html")]
    assert "生成日期：2024-05-09" in ev.snippet and "青政规〔2024〕4号" in ev.note


def test_required_fields_and_examples_are_settings(tmp_path):
    crawl = site(tmp_path, {"/zcwj/d.html": "dl_grid.html", "/zcwj/e.html": "table_2xn.html",
                            "/zcwj/a.html": "govcn_bd1.html"})
    [f] = crawl.run("doc.metadata", {"doc.metadata": {"required": ["索 引 号", "发文机关"], "max_examples": 1}})
    assert set(f.data["defects"]) == {"written_after_published"}   # 主题分类 no longer required
    assert problems(crawl.run("doc.metadata", {"doc.metadata": {"required": ["索引号", "文号"]}}))
    # a label no site uses is a configuration mistake: said, never a silent pass
    [bad] = crawl.run("doc.metadata", {"doc.metadata": {"required": ["索引号", "编号码"]}})
    assert bad.outcome == "not_measured" and "编号码" in bad.message


def test_one_document_at_two_urls_is_no_duplicate_but_two_titles_are(tmp_path):
    crawl = site(tmp_path, {"/zcwj/a.html": "govcn_bd1.html", "/xxgk/a.html": "govcn_bd1.html"})
    assert crawl.run("doc.metadata")[0].outcome == "pass"
    other = (FIX / "govcn_bd1.html").read_text(encoding="utf-8").replace(
        "政务公开工作要点的通知", "数字政府建设规划的通知").replace("12号", "13号")
    crawl.page("/zcwj/b.html", other)
    crawl.page("/zcwj/index2.html", f'<html><body>{NAV}<ul class="list"><li><a href="/zcwj/b.html">另一件文件标题</a>'
                                    "<span>2024-05-09</span></li></ul></body></html>")
    [f] = crawl.run("doc.metadata")   # b.html is a document by its own 文号, though no column lists it
    assert f.outcome == "fail" and f.data["defects"] == {"index_duplicate": 3}, f.data["defects"]
    dup = {e["url"].split("qs.gov.cn")[1]: len(e["others"]) for e in f.data["examples"]["index_duplicate"]}
    assert dup == {"/zcwj/a.html": 1, "/xxgk/a.html": 1, "/zcwj/b.html": 2}   # a copy is not "another" document


def test_no_policy_documents_is_not_applicable_and_news_is_not_judged(tmp_path):
    crawl = Crawl(tmp_path / "t.sqlite", UNIT, today=dt.date(2024, 6, 20))
    crawl.page("/", f"<html><body>{NAV}</body></html>")
    crawl.page("/zwdt/n.html", (FIX / "news_no_block.html").read_bytes())
    [f] = crawl.run("doc.metadata")
    assert f.outcome == "not_applicable"
