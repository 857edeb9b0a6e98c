"""Item 8.5 (回应关切) is prefilled from the interact.* findings; the national profile vetoes a site
with a 咨询 message unanswered for over 3 months (V10) and deducts for poor interaction (N6)."""
from __future__ import annotations

from govaudit.model import Finding
from govaudit.reports.reviews import Review
from govaudit.reports.rubric import load_rubric
from govaudit.reports.scoring import score_unit
from tests.test_scores import item, rows


def f(rule: str, item_id: str, outcome: str, n: int = 0) -> Finding:
    return Finding(rule=rule, item=item_id, outcome=outcome, unit="a", url=f"http://a.gov.cn/hdjl/{n}.html",
                   message="x", target=f"http://a.gov.cn/hdjl/{n}.html", key=str(n))


def test_item_8_5_is_machine_scored_from_the_interaction_findings():
    std = load_rubric("standard")
    assert not any(i.manual for i in std.items if i.id in ("8.5.1", "8.5.2"))
    fs = [f("interact.unanswered", "8.5.2", "fail", i) for i in range(2)] + \
         [f("interact.late-reply", "8.5.2", "needs_review", 10 + i) for i in range(6)] + \
         [f("interact.stale", "8.5.2", "fail")] + [f("interact.fields", "8.5.1", "fail", 20)]
    s = score_unit(std, "a", rows(fs))
    assert item(s, "8.5.2").proposed == 0        # 2 × 1 + min(6 × 0.5, 2) + 2 = 6, capped at the item's 4
    assert item(s, "8.5.1").proposed == 3        # one column with fields missing: −1
    clean = score_unit(std, "a", rows([f("interact.unanswered", "8.5.2", "pass")]))
    assert item(clean, "8.5.2").proposed == 4 and item(clean, "8.5.1").proposed == 4


def test_a_reviewer_overrides_the_machine():
    std = load_rubric("standard")
    miss = f("interact.column-missing", "8.5.1", "needs_review")
    assert item(score_unit(std, "a", rows([miss])), "8.5.1").proposed == 0
    fp = {miss.fingerprint: Review(fingerprint=miss.fingerprint, verdict="false-positive", by="张三",
                                   at="2024-06-21T10:00:00+08:00", note="网站设有12345链接（图片）")}
    assert item(score_unit(std, "a", rows([miss]), fp), "8.5.1").proposed == 4


def test_national_profile_vetoes_an_unanswered_message_and_deducts():
    nat = load_rubric("national")
    assert any(v.id == "V10" and v.rule == "interact.unanswered" for v in nat.vetoes)
    s = score_unit(nat, "a", rows([f("interact.unanswered", "8.5.2", "fail", 1)]))
    assert [v["id"] for v in s.vetoes] == ["V10"] and s.grade == "不合格"
    # an unanswered message under the limit yields no fail: no veto
    ok = score_unit(nat, "a", rows([f("interact.unanswered", "8.5.2", "pass")]))
    assert not ok.vetoes
    d = score_unit(nat, "a", rows([f("interact.stale", "8.5.2", "fail"), f("interact.column-missing", "8.5.1", "needs_review")]))
    # N6 is a penalty: 5 (no channel, a review prompt) + 3 (stale) off the total; N1–N5 keep their maxima
    assert item(d, "N6").proposed == 8 and d.total == 92 and not d.vetoes
