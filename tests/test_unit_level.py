"""The unit's administrative level (requirements §7): configured (English or Chinese), derived from
the unit's name when not configured, refused with a Chinese one-line error when it is no level."""
from __future__ import annotations

import argparse

import pytest

from govaudit.cli import main
from govaudit.commands._common import UsageError, resolve_units
from govaudit.config import ConfigError, load_units
from govaudit.model import Unit, level_from_name, parse_level, place_name, unit_level


@pytest.mark.parametrize("name,level", [
    ("青山县人民政府", "county"), ("青山县市场监督管理局", "county"), ("青山县住房和城乡建设局", "county"),
    ("呼和浩特市人民政府", "city"), ("呼和浩特市赛罕区人民政府", "county"), ("阿拉善左旗人民政府", "county"),
    ("鄂尔多斯市东胜区罕台镇人民政府", "township"), ("某市某区某街道办事处", "township"),
    ("内蒙古自治区人民政府", "province"), ("河北省人民政府", "province"), ("北京市人民政府", "province"),
    ("北京市海淀区人民政府", "county"), ("锡林郭勒盟行政公署", "city"), ("延边朝鲜族自治州人民政府", "city"),
    ("长白朝鲜族自治县人民政府", "county"), ("呼伦贝尔市扎兰屯市人民政府", "county"),  # a 市 under a 市
    ("满洲里市人民政府", "city"),   # a county-level city named alone: the units file must say level: county
    ("www.qs.gov.cn", ""),
])
def test_level_from_name(name, level):
    assert level_from_name(name) == level


@pytest.mark.parametrize("value,level", [("county", "county"), ("County", "county"), ("省级", "province"),
                                         ("市级", "city"), ("县级", "county"), ("乡镇", "township"),
                                         ("街道", "township"), ("县级市", "county"), ("", "")])
def test_parse_level(value, level):
    assert parse_level(value) == level


def test_bad_level_is_a_chinese_error():
    with pytest.raises(ValueError, match="单位层级“村级”无法识别.*county（县级）"):
        parse_level("村级")


def test_configured_level_wins_over_the_name():
    assert unit_level(Unit(id="m", name="满洲里市人民政府", url="http://m.gov.cn/", level="county")) == "county"
    assert unit_level(Unit(id="m", name="满洲里市人民政府", url="http://m.gov.cn/")) == "city"
    assert unit_level(Unit(id="q", name="青山县人民政府", url="http://q.gov.cn/", level="乡镇")) == "township"
    # a store written when level was free text: the name decides
    assert unit_level(Unit(id="q", name="青山县人民政府", url="http://q.gov.cn/", level="区县级单位")) == "county"


def test_units_file_level(tmp_path):
    f = tmp_path / "units.yaml"
    f.write_text("units:\n  - {id: a, name: 满洲里市人民政府, url: 'http://a.gov.cn/', level: 县级}\n"
                 "  - {id: b, name: 青山县人民政府, url: 'http://b.gov.cn/'}\n", encoding="utf-8")
    units, _ = load_units(f)
    assert [u.level for u in units] == ["county", ""]
    assert [unit_level(u) for u in units] == ["county", "county"]
    f.write_text("units:\n  - id: a\n    name: 甲\n    url: http://a.gov.cn/\n    level: village\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_units(f)
    assert "units[0].level" in str(e.value) and ":5" in str(e.value) and "无法识别" in str(e.value)


def _args(**kw: object) -> argparse.Namespace:
    base = {"units": None, "url": "http://www.qs.gov.cn/", "name": "满洲里市人民政府", "kind": "government", "level": None}
    return argparse.Namespace(**{**base, **kw})


def test_level_option():
    units, _ = resolve_units(_args(level="县级"))
    assert units[0].level == "county" and unit_level(units[0]) == "county"
    units, _ = resolve_units(_args())
    assert units[0].level == "" and unit_level(units[0]) == "city"
    with pytest.raises(UsageError, match="--level：单位层级“village”无法识别"):
        resolve_units(_args(level="village"))


def test_audit_rejects_a_bad_level_in_one_line(tmp_path):
    code = main(["audit", "http://127.0.0.1:9/", "--level", "村", "--out", str(tmp_path / "o")])
    assert code == 2
    assert not (tmp_path / "o" / "govaudit.sqlite").exists()


@pytest.mark.parametrize("name,place", [
    ("青山县人民政府", "青山县"), ("青山县教育局", "青山县"), ("青山县市场监督管理局", "青山县"),
    ("青山县住房和城乡建设局", "青山县"), ("青山县红旗镇人民政府", "青山县红旗镇"), ("阿拉善左旗人民政府", "阿拉善左旗"),
    ("呼和浩特市赛罕区人民政府", "呼和浩特市赛罕区"), ("内蒙古自治区人民政府", "内蒙古自治区"), ("www.qs.gov.cn", ""),
])
def test_place_name(name, place):
    assert place_name(name) == place
