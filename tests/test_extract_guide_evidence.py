"""Guide elements with the right evidence (issue 19): each element from the sentence that states it;
definitions, department names, the reply clause of 依申请公开, a reading room's mobile, a fax and
traditional characters do not mislead. The fixtures are written here after real guides' structure."""
from __future__ import annotations

from govaudit.extract.guide import guide_from_html, normalize_text, read_guide, to_simplified

# a 市场监督管理局 guide: its 编排体系 defines the catalogue's fields (发布机构, 索引号 …)
GUIDE = """青山县市场监督管理局政府信息公开指南
为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（国务院令第711号），编制本指南。
一、主动公开
（一）公开范围。本机关主动公开机构职能、政策文件、行政许可、行政处罚等信息。
（二）编排体系。本机关政府信息公开目录按内容分类为机构职能、政策文件、规划计划三类，每条信息由以下要素组成：
1.索引号：由单位代码、信息类别、年份和顺序号组成。
2.信息名称：政府信息的标题。
3.发布机构：政府信息发布主体。
4.生成日期：政府信息生成的具体日期。
（三）公开方式。本机关主动公开的政府信息通过青山县人民政府门户网站、“青山市监”微信公众号、县档案馆、县图书馆等渠道公开。
二、依申请公开
申请人可以通过网上申请、信函、当面提交等方式提出申请。申请公开的政府信息已经主动公开的，本机关告知申请人获取该政府信息的方式、途径。
三、工作机构
受理机构：青山县市场监督管理局办公室；办公地址：青山县人民路18号；办公时间：周一至周五上午9:00—12:00；
联系电话：0471-6234501；传真电话：0471-6234502；电子邮箱：scjg@qs.gov.cn。
县档案馆政府信息查阅室 联系电话：13912345678。
四、监督和救济
公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向青山县人民政府办公室投诉、举报，也可以依法申请行政复议或者提起行政诉讼。"""


def test_every_element_from_its_own_sentence() -> None:
    rep = read_guide(GUIDE)
    assert rep.missing == []
    el = rep.elements
    assert el["office"]["match"].startswith("受理机构") and "市场监督管理局办公室" in el["office"]["sentence"]
    assert "发布主体" not in el["office"]["sentence"]
    assert "按内容分类" in el["classification"]["sentence"] and "索引号" not in el["classification"]["sentence"]
    assert "门户网站" in el["proactive"]["sentence"] and "档案馆" in el["proactive"]["sentence"]
    assert "告知申请人" not in el["proactive"]["sentence"]
    assert "0471-6234501" in el["phone"]["sentence"] and "13912345678" not in el["phone"]["sentence"]
    assert rep.faxes == ["0471-6234502"] and "0471-6234502" not in rep.phones
    assert "行政复议" in el["remedy"]["sentence"]
    # a heading names an element, the sentence after it states it: both are quoted
    assert el["on_request"]["sentence"].startswith("二、依申请公开") and "提出申请" in el["on_request"]["sentence"]
    assert el["office"]["sentence"].startswith("受理机构")   # not run together with the heading 三、工作机构


def test_definition_of_the_office_field_is_not_an_office() -> None:
    text = "（二）编排体系。每条信息由以下要素组成：1.索引号：由单位代码、信息类别、年份和顺序号组成。" \
           "2.信息名称：政府信息的标题。3.发布机构：政府信息发布主体。4.发布机构：发布单位的名称。"
    rep = read_guide(text)
    assert not rep.elements["office"]["found"], rep.elements["office"]
    assert not rep.elements["classification"]["found"], rep.elements["classification"]
    assert rep.elements["arrangement"]["found"]


def test_department_name_is_not_supervision() -> None:
    rep = read_guide("受理机构：青山县市场监督管理局办公室。联系电话：0471-6234501。")
    assert not rep.elements["remedy"]["found"], rep.elements["remedy"]


def test_reply_clause_is_not_the_proactive_channel() -> None:
    text = "二、依申请公开 申请公开的政府信息已经主动公开的，告知申请人获取该政府信息的方式、途径。"
    assert not read_guide(text).elements["proactive"]["found"]


def test_fax_labelled_phone_is_a_fax() -> None:
    rep = read_guide("受理机构：青山县人民政府办公室；传真电话：0471-6234502。")
    assert rep.faxes == ["0471-6234502"] and rep.phones == [] and not rep.elements["phone"]["found"]


def test_traditional_characters_are_read() -> None:
    trad = ("青山縣政府資訊公開指南 一、主動公開 本機關主動公開的政府資訊通過門戶網站、政府公報等方式公開。"
            "受理機構：青山縣人民政府辦公室；辦公地址：青山縣人民路1號；辦公時間：週一至週五；聯繫電話：0471-6234567；"
            "傳真：0471-6234568；電子郵箱：xxgk@qs.gov.cn。公民認為侵犯其合法權益的，可以依法申請行政復議或者提起行政訴訟。")
    rep = read_guide(trad)
    for key in ("proactive", "office", "address", "hours", "phone", "fax", "internet", "remedy"):
        assert rep.elements[key]["found"], key
    assert rep.simplified and rep.faxes == ["0471-6234568"]
    assert "办公时间" in to_simplified("辦公時間")


def test_full_width_forms_are_normalised() -> None:
    s = normalize_text("网址：ｈｔｔｐ：／／ｗｗｗ．ｑｓ．ｇｏｖ．ｃｎ 邮箱：ｘｘｇｋ＠ｑｓ．ｇｏｖ．ｃｎ")
    assert "http://www.qs.gov.cn" in s and "xxgk@qs.gov.cn" in s
    rep = read_guide("网上申请地址：ｈｔｔｐ：／／ｗｗｗ．ｑｓ．ｇｏｖ．ｃｎ／ｙｓｑ")
    assert rep.urls == ["http://www.qs.gov.cn/ysq"]


def test_url_does_not_run_into_the_next_line() -> None:
    rep = read_guide("网上申请：http://www.qs.gov.cn/ysqgk/index.html电子邮箱：xxgk@qs.gov.cn")
    assert rep.urls == ["http://www.qs.gov.cn/ysqgk/index.html"]
    html = '<div class="content"><p>网址：http://www.qs.gov.cn/xxgk/<br>联系电话：0471-6234567</p></div>'
    assert guide_from_html(html).urls == ["http://www.qs.gov.cn/xxgk/"]


def test_list_of_departments_states_no_element() -> None:
    """A guide column listing the departments' guides (市政府办公室 … 市场监督管理局) is not a guide."""
    text = "政府信息公开指南 市政府部门 市政府办公室 市发展改革委 市教育局 市统计局 市场监督管理局 市林业局 市应急管理局"
    rep = read_guide(text)
    assert [k for k, v in rep.elements.items() if v["found"]] == []


def test_inspect_guide_quotes_the_sentence(tmp_path) -> None:
    from govaudit.extract.guide import inspect_guide

    html = "<html><body><div class='content'>" + GUIDE.replace("\n", "<br>") + "</div></body></html>"
    out = inspect_guide(html.encode("utf-8"), "http://www.qs.gov.cn/zn.html")
    assert out["elements"]["hours"]["sentence"].startswith("办公时间")
    assert all(v["sentence"] for v in out["elements"].values() if v["found"])


def test_hijacked_copy_names_no_office() -> None:
    """A hijacked copy's gambling brand in the office's place is no organisation: the office is missing."""
    rep = read_guide("受理机构：澳门威尼斯人娱乐城在线 办公地址：青山县人民路1号 联系电话：0471-6234567")
    assert not rep.elements["office"]["found"], rep.elements["office"]
