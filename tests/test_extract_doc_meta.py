"""The metadata-block extractor (govaudit/extract/doc_meta.py) over several real-world markups.

Fixtures in tests/fixtures/doc_meta/ are hand-written, modelled on gov.cn's TRS table.bd1, Hanweb's
xxgk_table, 集约化-platform <ul>/<li> grids, <dl> blocks, 2×N tables and old TRS one-cell fields; the
last test reads the real 邯郸 platform page of ../shared/corpus in place (skipped when absent).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from govaudit.extract.doc_meta import FIELDS, inspect_meta, lines_of, read_meta
from govaudit.extract.html import parse
from govaudit.extract.page import view_page
from tests.conftest import run_cli

FIX = Path(__file__).parent / "fixtures" / "doc_meta"
REQUIRED = ["index_no", "issuer", "written", "published", "subject"]


def meta(name: str):
    v = view_page((FIX / name).read_bytes(), f"http://www.qs.gov.cn/{name}")
    return read_meta(v.root, v.title)


def test_govcn_bd1_table_two_pairs_per_row_spaced_labels():
    m = meta("govcn_bd1.html")
    assert m.block_found and m.missing(REQUIRED) == []
    assert m.value("index_no") == "11152999MB0123456X/2024-00031"
    assert m.fields["issuer"].label == "发文机关" and m.value("issuer") == "青山县人民政府办公室"
    assert m.fields["doc_no"].label == "发文字号" and m.block_doc_numbers == ["青政办发〔2024〕12号"]
    assert m.fields["title"].label == "标题"  # 标　　题: full-width spaces folded
    assert m.date("written") == dt.date(2024, 3, 18) and m.date("published") == dt.date(2024, 3, 21)
    # the body's own 文号 is the centred line; the 国办发 number the text cites is not its own
    assert m.body_doc_numbers == ["青政办发〔2024〕12号"]
    assert m.validity is None and m.normative_signals == [] and m.doc_kind == "政策文件"


def test_hanweb_xxgk_table_th_td_pairs_empty_validity_and_differing_docno():
    m = meta("hanweb_xxgk_table.html")
    assert m.fields["subject"].label == "信息分类" and m.value("subject") == "城乡建设、环境保护"
    assert m.fields["written"].label == "生成日期" and m.fields["published"].label == "公开日期"
    assert m.date("written") > m.date("published")                       # 成文 after 发布: a defect
    assert m.block_doc_numbers == ["青政规〔2024〕3号"] and m.body_doc_numbers == ["青政规〔2024〕4号"]
    assert "validity" in m.fields and m.value("validity") is None and m.validity is None  # label, empty cell
    assert m.value("kind") == "行政规范性文件" and len(m.normative_signals) == 2 and m.doc_kind == "规范性文件"


def test_jiyue_ul_li_span_labels_with_nbsp_and_repealed_status():
    m = meta("jiyue_ul.html")
    assert m.missing(REQUIRED) == [] and m.fields["index_no"].label == "索引号"
    assert m.fields["issuer"].label == "发布单位" and m.fields["doc_no"].label == "发文文号"
    assert m.validity == "废止" and m.validity_source == "field"
    assert m.normative_signals == ["文号 青水规〔2019〕2号"]


def test_dl_block_ascii_brackets_and_missing_subject():
    m = meta("dl_grid.html")
    assert m.missing(REQUIRED) == ["subject"]
    assert m.block_doc_numbers == m.body_doc_numbers == ["青应急发〔2024〕5号"]
    assert m.date("written") == dt.date(2024, 3, 12) and m.date("published") == dt.date(2024, 3, 2)


def test_two_by_n_table_label_row_over_value_row_with_an_empty_cell():
    m = meta("table_2xn.html")
    assert m.value("index_no") == "11152999MB0123456X/2024-00077" and m.value("issuer") == "青山县教育局"
    assert "subject" in m.fields and m.missing(REQUIRED) == ["subject"]   # the empty cell is not the 文号's value
    assert m.block_doc_numbers == m.body_doc_numbers == ["青教发〔2024〕7号"]


def test_trs_one_cell_fields_template_slot_and_list_table_below():
    m = meta("trs_cell_list.html")
    assert m.fields["doc_no"].label == "文号" and m.block_doc_numbers == ["青财农〔2024〕6号"]
    assert m.fields["published"].label == "发文日期" and m.date("published") == dt.date(2024, 2, 20)
    assert m.value("subject") is None                                  # ${subcat}: a slot nobody filled
    assert m.value("index_no") == "11152999MB0123456X/2024-00120"      # not the list row's 索引号


def test_news_article_has_no_block_and_no_own_docno():
    m = meta("news_no_block.html")
    assert not m.block_found and m.fields == {} and m.body_doc_numbers == [] and m.doc_kind == "其他"


def test_commented_fields_do_not_count_and_lists_are_no_blocks():
    root = parse("<html><body><div><p><strong>索引号</strong>：A/2024-1</p><p><strong>发布机构</strong>：县局</p>"
                 "<!--<p><strong>成文日期</strong>：2024年01月02日</p>--><p>发布日期：2024-01-03</p></div>"
                 "<table><tr><th>名称</th><th>索引号</th><th>发布日期</th></tr><tr><td><a href='/a.html'>"
                 "关于印发某某办法的通知</a></td><td>B/2024-2</td><td>2024-01-05</td></tr></table></body></html>")
    m = read_meta(root)
    assert m.block_found and m.missing(["written"]) == ["written"] and m.value("index_no") == "A/2024-1"
    lst = read_meta(parse("<html><body><table><tr><th>名称</th><th>索引号</th><th>发布机构</th></tr><tr><td>"
                          "<a href='/a.html'>关于印发某某办法的通知</a></td><td>B/1</td><td>县局</td></tr></table></body></html>"))
    assert not lst.block_found


def test_navigation_tabs_named_like_labels_are_no_labels():
    # the platform's sidebar: 主题分类 / 机构分类 tabs as links, topics below them; the block lacks 主题分类
    m = read_meta(parse("<html><body><div class='side'><ul><li><a href='#t1'>主题分类</a></li><li><a href='#t2'>机构分类</a>"
                        "</li></ul><ul><li><a href='/zt/zhzw/'>综合政务</a></li></ul></div>"
                        "<table><tr><th>索引号：</th><td>A/1</td><th>发布机构：</th><td>县政府</td></tr></table></body></html>"))
    assert m.block_found and m.missing(["subject"]) == ["subject"] and "subject" not in m.fields


def test_standalone_validity_mark_and_deep_pages():
    m = read_meta(parse("<html><body><ul><li>索引号：A/1</li><li>发布机构：县政府</li></ul><h1>某某办法</h1>"
                        "<p>【已失效】</p><p>正文。</p></body></html>"))
    assert m.validity == "失效" and m.validity_source == "mark"
    t = read_meta(parse("<html><body><ul><li>索引号：A/1</li><li>发布机构：县政府</li></ul><h1>某某办法（已废止）</h1>"
                        "</body></html>"), "某某办法（已废止）")
    assert t.validity == "废止" and t.validity_source == "title"
    deep = "<div>" * 3000 + "索引号：A/1" + "</div>" * 3000
    assert lines_of(parse(f"<html><body>{deep}</body></html>"))  # no RecursionError


def test_inspect_meta_lists_missing_required_fields():
    d = inspect_meta((FIX / "dl_grid.html").read_bytes(), "http://www.qs.gov.cn/a.html")
    assert d["block_found"] and d["missing"] == ["主题分类"] and set(d["fields"]) <= set(FIELDS) | {"title", "kind"}


def test_real_handan_platform_detail_page(corpus):
    """邯郸市 platform detail page: <p><strong>label</strong>：value</p> in two columns; 成文日期 and 主题词
    are inside HTML comments (not on the page); 文号 is written 无."""
    page = corpus / "handan_platform" / "handan_xxgk_details.jsp"
    v = view_page(page.read_bytes(), "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1.html")
    m = read_meta(v.root, v.title)
    assert m.block_found
    assert {k: m.value(k) for k in ("index_no", "issuer", "subject", "published")} == {
        "index_no": "000014348/2020-35147", "issuer": "邯郸市教育局", "subject": "教育", "published": "2020年08月02日"}
    assert m.fields["subject"].label == "主题分类"                       # not the commented 主题词
    assert m.missing(REQUIRED) == ["written"] and m.value("doc_no") is None and m.body_doc_numbers == []


@pytest.mark.parametrize("name", ["gov_articles/govcn_gongbao_article_2007.html",
                                  "gov_articles/shanxi_gov_article_2019-09-18.html",
                                  "gov_articles/zj_fgw_article_2016-11-22.html",
                                  "handan_platform/handan_xxgk_list.jsp", "handan_platform/handan_xxgk_index.jsp",
                                  "shanghai_list/shanghai_wsjkw_yqtb_list_2022-04-27.html"])
def test_real_pages_without_a_block(corpus, name):
    v = view_page((corpus / name).read_bytes(), "http://example.gov.cn/")
    assert not read_meta(v.root, v.title).block_found


def test_cli_inspect_meta_prints_the_block_in_chinese_and_as_json():
    proc = run_cli("inspect", "meta", str(FIX / "jiyue_ul.html"))
    assert proc.returncode == 0, proc.stderr
    assert "公开属性" in proc.stdout and "11152999MB0123456X/2019-00102" in proc.stdout and "废止" in proc.stdout
    js = run_cli("inspect", "meta", str(FIX / "dl_grid.html"), "--json")
    d = json.loads(js.stdout)
    assert d["block_found"] and d["missing"] == ["主题分类"] and d["fields"]["index_no"]["value"].endswith("00009")


def test_jiangsu_td_labels_without_colons_nbsp_padding_and_validity_synonym():
    m = meta("jiangsu_td_labels.html")
    assert m.missing(REQUIRED) == [] and m.value("subject") == "综合政务 / 通知"   # 分类 beats the later 主题词
    assert m.fields["doc_no"].label == "文号" and m.block_doc_numbers == m.body_doc_numbers == ["青政规〔2024〕6号"]
    assert m.fields["published"].label == "发文日期" and m.date("written") < m.date("published")
    assert m.validity == "有效" and m.fields["validity"].label == "效力状况"
    assert m.value("title").startswith("青山县人民政府关于印发") and m.normative_signals == ["文号 青政规〔2024〕6号"]
