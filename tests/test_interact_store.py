"""The messages table (issue 20): the check stage stores what the interaction analysis read (also
through the parallel path and `check --rule`), and the nightly history diffs two runs' messages."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from govaudit.checks.registry import all_rules
from govaudit.checks.run import run_checks, select_rules
from govaudit.checks.settings import load_rules_config
from govaudit.history import diff_messages, diff_run, format_diff
from govaudit.model import Unit
from govaudit.store import Store
from tests.crawlkit import Crawl

UNIT = Unit(id="qs", name="青山县人民政府", url="http://www.qs.gov.cn/")
TODAY = dt.date(2024, 6, 20)
HOME = "<html><body><ul class='nav'><li><a href='/hdjl/xzxx/'>县长信箱</a></li></ul></body></html>"


def _list(rows: list[tuple[str, str, str, str, str]]) -> str:
    trs = "".join(f"<tr><td><a href='/hdjl/xzxx/{n}.html'>{t}</a></td><td>{a}</td><td>{s}</td><td>{r}</td></tr>"
                  for n, t, a, s, r in rows)
    return ("<html><head><title>县长信箱</title></head><body><table><tr><th>来信标题</th><th>来信时间</th>"
            f"<th>办理状态</th><th>答复时间</th></tr>{trs}</table></body></html>")


def _crawl(store: Store, rows: list[tuple[str, str, str, str, str]]) -> Crawl:
    c = Crawl("", UNIT, TODAY, store=store)
    c.page("/", HOME)
    c.page("/hdjl/xzxx/", _list(rows))
    c.store.finish_run(c.run_id)
    return c


ROWS = [("1", "关于幼儿园报名时间的咨询", "2024-06-03", "已回复", "2024-06-05"),
        ("2", "关于河道黑臭问题的反映", "2024-02-01", "办理中", ""),
        ("3", "关于学区划分问题的咨询", "2024-05-20", "办理中", "")]


def test_check_stage_stores_the_messages_and_check_rule_keeps_them(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    c = _crawl(store, ROWS)
    conf = load_rules_config()
    run_checks(store, c.run_id, [UNIT], conf, TODAY)
    got = {m["title"]: m for m in store.messages(c.run_id, "qs")}
    assert set(got) == {t for _, t, *_ in ROWS}
    m = got["关于幼儿园报名时间的咨询"]
    assert (m["column_label"], m["column_kind"], m["asked_at"], m["answered_at"], m["status"], m["answered"],
            m["latency_workdays"], m["source"]) == ("县长信箱", "letter", "2024-06-03", "2024-06-05", "已回复", 1, 2, "row")
    assert m["key"] == "http://www.qs.gov.cn/hdjl/xzxx/1.html" and m["source_url"] == "http://www.qs.gov.cn/hdjl/xzxx/"
    assert got["关于河道黑臭问题的反映"]["answered"] == 0
    # `check --rule link.broken` runs no interaction rule: the stored messages stay
    run_checks(store, c.run_id, [UNIT], conf, TODAY, rules=select_rules(["link.broken"]), only=True)
    assert len(store.messages(c.run_id, "qs")) == 3
    # a full re-run replaces them (idempotent)
    run_checks(store, c.run_id, [UNIT], conf, TODAY, rules=all_rules())
    assert len(store.messages(c.run_id, "qs")) == 3


def test_parallel_check_stores_the_same_messages(tmp_path: Path, monkeypatch) -> None:
    store = Store(tmp_path / "s.sqlite")
    c = _crawl(store, ROWS)
    monkeypatch.setenv("GOVAUDIT_CHECK_WORKERS", "2")
    run_checks(store, c.run_id, [UNIT], load_rules_config(), TODAY, rules=select_rules(["interact", "link.broken"]))
    assert sorted(m["title"] for m in store.messages(c.run_id, "qs")) == sorted(t for _, t, *_ in ROWS)


def test_nightly_history_diffs_messages(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    conf = load_rules_config()
    first = _crawl(store, ROWS)
    run_checks(store, first.run_id, [UNIT], conf, TODAY)
    # the next night: letter 2 answered, letter 3 removed from the site, letter 4 new
    later = [ROWS[0], ("2", "关于河道黑臭问题的反映", "2024-02-01", "已回复", "2024-06-20"),
             ("4", "关于公交线路调整的建议", "2024-06-19", "办理中", "")]
    second = _crawl(store, later)
    run_checks(store, second.run_id, [UNIT], conf, TODAY)
    d = diff_messages(store, second.run_id, "qs")
    assert d["previous_run"] == first.run_id and d["messages"] == 3
    assert [m["title"] for m in d["new"]] == ["关于公交线路调整的建议"]
    assert [m["title"] for m in d["answered"]] == ["关于河道黑臭问题的反映"]
    assert [m["title"] for m in d["gone"]] == ["关于学区划分问题的咨询"] and d["reopened"] == []
    assert diff_messages(store, first.run_id, "qs")["previous_run"] is None


def test_partial_crawl_never_vouches_for_unread_letters(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    c = _crawl(store, [ROWS[0], ROWS[2]])     # nothing over 90 days among the letters that were read
    partial = {"status": "partial", "reason": "max_pages", "reason_text": "达到页数上限", "pages": 3,
               "unreached": {"message": 40, "article": 10}, "unreached_depth": {"message": 3}}
    c.unit_fields(coverage=partial)
    (f,) = c.run("interact.unanswered")
    assert f.outcome == "not_measured" and "40 个互动栏目相关页面未抓取" in f.message
    assert f.data["original_outcome"] == "pass" and f.data["messages"] == 2
    c.unit_fields(coverage={**partial, "unreached": {"article": 10}})   # only articles left: the verdict stands
    assert [f.outcome for f in c.run("interact.unanswered")] == ["pass"]
    assert [f.outcome for f in c.run("interact.late-reply")] == ["pass"]


def test_the_nightly_diff_reports_message_changes(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    conf = load_rules_config()
    first = _crawl(store, ROWS)
    run_checks(store, first.run_id, [UNIT], conf, TODAY)
    second = _crawl(store, [ROWS[0], ("2", "关于河道黑臭问题的反映", "2024-02-01", "已回复", "2024-06-20")])
    run_checks(store, second.run_id, [UNIT], conf, TODAY)
    d = diff_run(store, second.run_id, trend_runs=0)
    m = d["units"][0]["messages"]
    assert (len(m["new"]), len(m["answered"]), len(m["gone"])) == (0, 1, 1)
    assert "互动留言：新增 0 条，新答复 1 条，不再公开 1 条" in format_diff(d)
