"""Chinese everywhere a person reads: the report pages as the browser shows them, the demo's terminal
summary, `explain` and `rules`; every data key labelled; 整改建议 for every finding; local times."""
from __future__ import annotations

import ast
import json
import re

import pytest

from govaudit.checks.registry import all_rules
from govaudit.cli import main
from govaudit.crawler.render import find_browser
from govaudit.reports.fixes import fix_text
from govaudit.text import KEY_LABELS, local_time, set_timezone
from tests._english import english_words
from tests.conftest import ROOT, read_findings

# Words quoted from the demo portal itself (a planted gambling term, the mailbox in its guide).
SITE_WORDS = {"bet365", "xxgk"}

VISIBLE_TEXT_JS = """() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  document.querySelectorAll('code').forEach(c => c.remove());   // rule ids, fingerprints, selectors, site markup
  return document.body.innerText;
}"""


@pytest.fixture(scope="module")
def browser_page():
    if find_browser() is None:
        pytest.skip("no Chromium: install chromium (scripts/setup-system.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), headless=True, args=["--no-sandbox"])
        page = browser.new_context(offline=True).new_page()
        yield page
        browser.close()


@pytest.mark.parametrize("name", ["report.html", "units/qingshan.html"])
def test_report_pages_show_no_english(demo_audit, browser_page, name):
    browser_page.goto((demo_audit / name).as_uri())
    text = browser_page.evaluate(VISIBLE_TEXT_JS)
    assert "整改建议" in text and "检查结果摘要" in text
    words = english_words(text, SITE_WORDS)
    assert not words, sorted(set(words))


def test_demo_terminal_summary_is_chinese_with_score_and_grade(demo_audit):
    out = (demo_audit / "stdout.txt").read_text(encoding="utf-8")
    summary = [ln for ln in out.splitlines() if ln and not ln.startswith(("planted defects", "EXIT", "  missed",
                                                                         "  not planted"))]
    assert any(ln.startswith("青山县人民政府：已抓取") for ln in summary), out
    assert re.search(r"不合格 \d+，待复核 \d+，未能检测 \d+；暂定总分 [\d.]+，暂定等级 \S+", out), out
    words = english_words("\n".join(summary))
    assert not words, sorted(set(words))


def test_explain_and_rules_are_chinese(capsys):
    from govaudit.text import RULE_ADVICE

    assert set(RULE_ADVICE) == {r.id for r in all_rules()}    # no rule without advice, no stale entry
    for r in all_rules():
        assert r.summary and r.fix, r.id
        assert main(["explain", r.id]) == 0
        text = capsys.readouterr().out
        assert "检查内容：" in text and "整改建议：" in text
        text = re.sub(r"：[\[{\"\d].*$", "：", text, flags=re.M)   # default values are data (vocabularies)
        words = english_words(text, {"explain", "en"})            # the hint names `govaudit explain … --lang en`
        assert not words, (r.id, sorted(set(words)))
    assert main(["explain", "link.broken", "--lang", "en"]) == 0
    assert "Why:" in capsys.readouterr().out
    assert main(["rules"]) == 0
    assert not english_words(capsys.readouterr().out)


def _keys(v, found: set[str]) -> set[str]:
    if isinstance(v, dict):
        for k, x in v.items():
            found.add(k)
            _keys(x, found)
    elif isinstance(v, list):
        for x in v:
            _keys(x, found)
    return found


def test_every_data_key_has_a_chinese_label(demo_audit):
    keys = set()
    for f in read_findings(demo_audit):
        _keys(f["data"], keys)
    latin = {k for k in keys if re.match(r"[A-Za-z]", k)}
    assert latin and not latin - set(KEY_LABELS), sorted(latin - set(KEY_LABELS))


def _literal_keys(d: ast.Dict) -> set[str]:
    return {k.value for k in d.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def test_every_data_key_the_rules_write_has_a_chinese_label():
    """Beyond the demo: the keys of every `data={…}` literal, `data[…] =` and record builder in the rules."""
    keys: set[str] = set()
    for path in (ROOT / "govaudit" / "checks").rglob("*.py"):
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(n, ast.Call):
                keys |= {k for kw in n.keywords if kw.arg == "data" and isinstance(kw.value, ast.Dict)
                         for k in _literal_keys(kw.value)}
            elif isinstance(n, ast.Assign):
                for t in n.targets:
                    if isinstance(t, ast.Name) and t.id in ("data", "base") and isinstance(n.value, ast.Dict):
                        keys |= _literal_keys(n.value)
                    if (isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == "data"
                            and isinstance(t.slice, ast.Constant) and isinstance(t.slice.value, str)):
                        keys.add(t.slice.value)
            elif isinstance(n, ast.FunctionDef) and n.name in ("to_dict", "summary", "brief"):
                keys |= {k for m in ast.walk(n) if isinstance(m, ast.Dict) for k in _literal_keys(m)}
    assert len(keys) > 80 and not keys - set(KEY_LABELS), sorted(keys - set(KEY_LABELS))


def test_every_problem_has_a_concrete_fix(demo_audit):
    from govaudit.text import RULE_ADVICE

    for f in read_findings(demo_audit):
        fix = fix_text(f)
        if f["outcome"] not in ("fail", "needs_review"):
            continue
        assert fix and "{" not in fix and f"依据考核项 {f['item']}" in fix, (f["rule"], fix)
        if "{url}" in RULE_ADVICE[f["rule"]][0]:
            assert f["url"] in fix
        assert not english_words(re.sub(r"https?://\S+", " ", fix), SITE_WORDS), fix
    unit = (demo_audit / "units" / "qingshan.html").read_text(encoding="utf-8")
    assert unit.count("整改建议：") >= sum(1 for f in read_findings(demo_audit) if f["outcome"] in ("fail", "needs_review"))


def test_times_are_beijing_time_for_people_and_iso_in_findings_json(demo_audit):
    run = json.loads((demo_audit / "findings.json").read_text(encoding="utf-8"))["run"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", run["started"])   # ISO 8601 with offset
    report = (demo_audit / "report.html").read_text(encoding="utf-8")
    assert f"开始 {local_time(run['started'])}" in report and "北京时间" in report
    assert local_time("2026-12-05T07:52:13+00:00") == "2026-12-05 15:52:13"
    try:
        set_timezone("Asia/Urumqi")
        assert local_time("2026-12-05T07:52:13+00:00") == "2026-12-05 13:52:13"
        with pytest.raises(ValueError):
            set_timezone("Mars/Olympus")
    finally:
        set_timezone(None)


def test_phrases_from_lower_layers_read_in_chinese():
    from govaudit.text import REASON_LABELS, reason, zh

    for code in REASON_LABELS:
        assert not english_words(re.sub(r"robots\.txt", "", reason(code))), code
    for phrase in ("HTTP 403 (blocked? the host refuses automated checks)", "attachment is empty (0 bytes)",
                   "attachment answers with an HTML page", "https:// does not answer (tls)",
                   "rendered: off-screen at -9999,-9998; inline style off-screen (left:-9999px)",
                   "written by document.write/innerHTML", "illegal words: 娱乐城", "points outside the unit's domains",
                   "anchor text contains '娱乐城'", "redirects off-site to www.a.com (host contains 'casino')",
                   "error phrase '页面不存在' in the title", "deep link redirects to the home page",
                   "渲染失败：timeout (net::ERR_TIMED_OUT)", "1 image(s), 154 characters of text", "3 questions, 3 answers"):
        assert not english_words(zh(phrase)), (phrase, zh(phrase))


def test_evidence_notes_of_shared_analyses_read_in_chinese():
    from govaudit.text import zh

    for note in ("list as rendered in Chromium", "list shown in a frame of http://www.qs.gov.cn/gzdt/",
                 "the annual report page", "the report document (pdf) that was read",
                 "the report document (attachment) that was read"):
        assert not english_words(zh(note)), (note, zh(note))
