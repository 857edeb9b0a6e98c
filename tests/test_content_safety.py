"""Content safety: the personal-data detector and its look-alikes, attachment text in every format
(OCR of a generated scanned page), content.privacy and content.wording on a stored crawl, and the
no-leak test: no output of the demo audit holds a planted full number."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import get_rule
from govaudit.checks.run import run_rule
from govaudit.checks.settings import load_rules_config
from govaudit.demo.sections.safety import CJK_FONTS, PEOPLE, resident_id, scanned_pdf
from govaudit.extract.attachments import read_text, tesseract_available
from govaudit.extract.personal_data import find_personal_data, id_valid, luhn_valid, mask, mask_text
from govaudit.model import Unit
from govaudit.store import Store
from govaudit.urls import normalize
from tests.conftest import run_cli

TODAY = dt.date(2026, 12, 6)
ID = resident_id("11010519491231002")          # 11010519491231002X
ID2 = resident_id("15259919880808101")
CARD = "6222021234567890128"                  # passes Luhn


def kinds(text: str) -> list[str]:
    return [h.kind for h in find_personal_data(text, TODAY)]


# -- the detector: fires ----------------------------------------------------------------------------
def test_id_with_valid_check_digit_and_birth_date_fires() -> None:
    assert id_valid(ID, TODAY) and ID.endswith("X")
    hits = find_personal_data(f"申请人王小明，身份证号{ID}，家住人民路。", TODAY)
    assert [(h.kind, h.masked) for h in hits] == [("id", "1101**********002X")]
    assert kinds(f"{ID.lower()}") == ["id"]   # a lower-case x is still an ID


def test_mobile_beside_a_name_fires() -> None:
    assert kinds("张三\t男\t13912345678") == ["mobile"]
    assert kinds(f"王建国\t{ID}\t汉族\t青山县人民路1号\t13912345678") == ["id", "mobile"]   # same table row
    assert kinds("联系人：欧阳明 电话13800001111") == ["mobile"]
    hit = find_personal_data("李四 13912345678", TODAY)[0]
    assert hit.masked == "139****5678" and hit.label == "李*"


def test_card_beside_label_fires_inline_and_by_column_header() -> None:
    assert luhn_valid(CARD)
    assert kinds(f"收款账号：{CARD}") == ["card"]
    assert kinds(f"户名：王五 账号：{CARD}") == ["card"]          # a person's account, not a body's
    table = f"序号\t姓名\t银行卡号\n1\t王五\t{CARD}\n"
    assert kinds(table) == ["card"]


# -- the detector: look-alikes that must not fire ------------------------------------------------------
@pytest.mark.parametrize("text", [
    ID[:17] + ("1" if ID[17] != "1" else "2"),                     # wrong check digit
    resident_id("11010519490231002"),                              # 31 February: no such birth date
    resident_id("11010520991231002"),                              # born after the audit date
    resident_id("99010519491231002"),                              # no such province
    "1101**********002X", "110105********002X", "138****5678",    # masked forms
    f"索引号：{ID}",                                                # an 索引号 label
    f"{ID}/2026-00012",                                            # 索引号 form: a /year-serial tail
    "11152999MB0000000X/2026-00001",                               # 索引号 with letters
    f"统一社会信用代码：{resident_id('12152999000000012')}",        # an all-digit credit code
    "统一社会信用代码：91152999MA0XXXXX1K",                          # a credit code with letters
    "青政发〔2026〕3号", "内政办发〔2025〕120号",                    # 文号
    f"订单编号：{ID}", f"流水号 {CARD}", f"序列号：{ID2}",           # order and serial numbers
    "政务服务热线：13912345678",                                   # a mobile with no name beside it
    "高新区\t13912345678", "金额\t13912345678",                    # surname-initial words that are not names
    f"项目编码 {CARD}",                                            # Luhn-valid but no 账号/卡号 label
    f"收款单位：青山县财政局 开户行：农行青山支行 账号：{CARD}",     # a body's account, published for payments
    f"户名：青山县社会保险事业管理中心\n账号：{CARD}",
    "投资总额123456789012345678元",                                 # digits that fail every check
])
def test_look_alikes_do_not_fire(text: str) -> None:
    assert kinds(text) == [], text


def test_mask_and_mask_text_show_no_full_number() -> None:
    assert mask(ID) == "1101**********002X" and mask("13912345678") == "139****5678"
    assert mask(CARD) == "6222***********0128" and mask("王小明", "name") == "王**"
    shown = mask_text(f"王小明 {ID} 13912345678 {CARD}", ["王小明"])
    assert ID not in shown and "13912345678" not in shown and CARD not in shown and "王小明" not in shown


# -- attachment text ----------------------------------------------------------------------------------
def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_spreadsheet_csv_docx_text() -> None:
    res = read_text(_xlsx([["姓名", "身份证号"], ["王五", ID]]), "http://x/a.xlsx")
    assert (res.format, res.status) == ("xlsx", "ok") and f"王五\t{ID}" in res.text
    buf = io.StringIO()
    csv.writer(buf).writerows([["姓名", "手机"], ["赵六", "13912345678"]])
    res = read_text(buf.getvalue().encode("gb18030"), "http://x/a.csv")
    assert res.format == "csv" and "赵六\t13912345678" in res.text
    d = docx.Document()
    d.add_paragraph(f"身份证号：{ID}")
    out = io.BytesIO()
    d.save(out)
    res = read_text(out.getvalue(), "http://x/a.docx")
    assert res.format == "docx" and ID in res.text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed: no .doc to test with")
def test_binary_word_doc(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph(f"低保对象 王五 身份证号：{ID}")
    d.save(tmp_path / "a.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(tmp_path / "a.docx")], capture_output=True, timeout=120, check=False)
    if not (tmp_path / "a.doc").exists():
        pytest.skip("LibreOffice could not write a .doc here")
    res = read_text((tmp_path / "a.doc").read_bytes(), "http://x/a.doc")
    assert res.format == "doc" and res.status == "ok" and ID in res.text, res


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed: no .xls to test with")
def test_binary_excel_xls(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(_xlsx([["姓名", "身份证号"], ["王五", ID]]))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path), str(tmp_path / "a.xlsx")], capture_output=True, timeout=120, check=False)
    if not (tmp_path / "a.xls").exists():
        pytest.skip("LibreOffice could not write an .xls here")
    for name in ("a.xls", "a.et"):   # WPS .et files are the same OLE workbook
        res = read_text((tmp_path / "a.xls").read_bytes(), f"http://x/{name}")
        assert res.status == "ok" and f"王五\t{ID}" in res.text, res


def test_unreadable_documents_say_why() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * 50_000_000)
    res = read_text(bomb.getvalue(), "http://x/b.xlsx")
    assert res.status == "unreadable" and "zip bomb" in res.reason
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as z:
        z.writestr("OFD.xml", "<ofd/>")
    res = read_text(ofd.getvalue(), "http://x/c.ofd")
    assert res.status == "unreadable" and res.reason
    assert read_text(b"", "http://x/d.pdf").status == "unreadable"
    assert read_text(b"%PDF-1.4 garbage", "http://x/e.pdf").status == "unreadable"


def _font() -> str | None:
    return next((f for f in CJK_FONTS if Path(f).exists()), None)


@pytest.mark.skipif(not tesseract_available(), reason="tesseract with chi_sim is not installed "
                    "(scripts/setup-system.sh installs tesseract-ocr and tesseract-ocr-chi-sim)")
def test_scanned_pdf_is_read_by_ocr() -> None:
    font = _font()
    if not font:
        pytest.skip("no CJK font (fonts-wqy-microhei) to draw the scanned page with")
    pdf = scanned_pdf(["青山县临时救助对象公示", f"申请人：陈立新  身份证号：{ID2}"], font)
    res = read_text(pdf, "http://x/scan.pdf")
    assert res.format == "pdf" and res.ocr_pages == 1 and res.status == "ok", res
    assert [h.kind for h in find_personal_data(res.text, TODAY)] == ["id"], res.text
    capped = read_text(pdf, "http://x/scan.pdf", ocr_budget=0)     # the run's OCR cap reached
    assert capped.ocr_pages == 0 and capped.status == "unreadable" and "not OCR'd" in capped.reason
    assert capped.transient and not res.transient      # the capped read is not stored: the next run tries again


@pytest.mark.skipif(not tesseract_available(), reason="tesseract with chi_sim is not installed")
def test_giant_scanned_page_is_rendered_within_the_pixel_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    seen: list[int] = []
    real = Image.Image.save

    def spy(self: Any, fp: Any, format: Any = None, **kw: Any) -> Any:  # noqa: A002 — Pillow's own name
        seen.append(self.width * self.height)
        return real(self, fp, format, **kw)

    buf = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(buf, format="PDF", resolution=1)   # a 200 × 200 inch page
    monkeypatch.setattr(Image.Image, "save", spy)
    res = read_text(buf.getvalue(), "http://x/big.pdf", limits={"max_image_pixels": 1_000_000})
    assert seen and max(seen) <= 1_000_000 and res.status == "unreadable"    # a blank scan: nothing read


def test_scanned_pdf_without_ocr_is_not_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    font = _font()
    if not font:
        pytest.skip("no CJK font to draw the scanned page with")
    monkeypatch.setattr("govaudit.extract.attachments.tesseract_available", lambda: False)
    res = read_text(scanned_pdf([f"身份证号：{ID2}"], font), "http://x/scan.pdf")
    assert res.status == "unreadable" and "tesseract" in res.reason


# -- the rules on a stored crawl ------------------------------------------------------------------------
HOME = "http://www.qs.gov.cn/"


class Crawl:
    def __init__(self, tmp: Path) -> None:
        self.store = Store(tmp / "t.sqlite")
        self.run = self.store.start_run("test", {}, TODAY.isoformat())
        self.unit = Unit(id="u", name="青山县人民政府", url=HOME)
        self.store.add_unit(self.run, self.unit)

    def add(self, url: str, body: str | bytes, purpose: str = "page", content_type: str = "text/html; charset=utf-8",
            title: str = "") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        digest = hashlib.sha256(data).hexdigest()
        row = {"run_id": self.run, "unit_id": "u", "url": normalize(url), "final_url": normalize(url), "status": 200,
               "method": "GET", "purpose": purpose, "content_type": content_type, "size": len(data), "sha256": digest,
               "title": title, "fetched_at": "2026-12-06T08:00:00+08:00", "depth": 1}
        self.store.write_batch([row], [], [(digest, data)])

    def findings(self, rule_id: str) -> list[Any]:
        ctx = CheckContext(store=self.store, run_id=self.run, unit=self.unit, config=load_rules_config(), today=TODAY)
        return run_rule(get_rule(rule_id), ctx)


def page(title: str, body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>'


def test_privacy_rule_pages_and_attachments_masked(tmp_path: Path) -> None:
    c = Crawl(tmp_path)
    c.add(HOME, page("首页", "<p>欢迎</p>"), purpose="home")
    rows = "".join(f"<tr><td>{n}</td><td>{p}</td></tr>" for n, p in PEOPLE[:2])
    c.add(HOME + "gs1.html", page("低保公示", f"<table><tr><th>姓名</th><th>身份证号</th></tr>{rows}</table>"))
    c.add(HOME + "gs2.html", page("高龄津贴公示", "<p>王*明 1101**********002X 139****5678</p>"
                                  f"<p>索引号：{ID}/2026-00001</p><p>统一社会信用代码：{resident_id('12152999000000012')}</p>"))
    sheet = _xlsx([["姓名", "开户账号"], ["王五", CARD]])
    c.add(HOME + "a.xlsx", sheet, purpose="attachment",
          content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c.add(HOME + "b.ofd", b"PK\x03\x04not really", purpose="attachment", content_type="application/ofd")
    found = c.findings("content.privacy")
    by_url = {f.url: f for f in found}
    assert by_url[HOME + "gs1.html"].outcome == "fail" and by_url[HOME + "gs1.html"].data["counts"] == {"id": 2}
    assert by_url[HOME + "a.xlsx"].data["counts"] == {"card": 1}
    assert HOME + "gs2.html" not in by_url                                   # masked and look-alikes
    nm = [f for f in found if f.outcome == "not_measured"]
    assert len(nm) == 1 and nm[0].data["unreadable"][0]["url"] == HOME + "b.ofd"
    shown = str([f.to_dict() for f in found])
    for _, pid in PEOPLE[:2]:
        assert pid not in shown
    assert CARD not in shown and PEOPLE[0][0] not in shown
    # read once, stored compressed by body hash, reused
    assert c.store.conn.execute("SELECT count(*) FROM attachment_texts").fetchone()[0] == 2
    stored = c.store.attachment_text(hashlib.sha256(sheet).hexdigest())
    assert stored and stored["format"] == "xlsx" and stored["status"] == "ok" and CARD in stored["text"]
    # retention: a text goes with its body
    c.store.conn.execute("DELETE FROM bodies WHERE sha256=?", (hashlib.sha256(sheet).hexdigest(),))
    assert c.store.prune_attachment_texts() == 1 and c.store.attachment_text(hashlib.sha256(sheet).hexdigest()) is None


def test_privacy_silent_site_is_pass(tmp_path: Path) -> None:
    c = Crawl(tmp_path)
    c.add(HOME, page("首页", "<p>政务服务热线：12345</p>"), purpose="home")
    assert [f.outcome for f in c.findings("content.privacy")] == ["pass"]


def test_wording_rule_fires_and_look_alikes_do_not(tmp_path: Path) -> None:
    c = Crawl(tmp_path)
    c.add(HOME, page("首页", "<p>欢迎</p>"), purpose="home")
    c.add(HOME + "w1.html", page("宪法日", "<p>发放《中华人名共和国宪法》单行本。</p>"))
    c.add(HOME + "w2.html", page("燃气", "<p>督促商户按装报警装置。</p>"))
    c.add(HOME + "w3.html", page("宪法进万家", "<p>学习《中华人民共和国宪法》。全国人民代表大会。</p>"))
    c.add(HOME + "w4.html", page("关于更正的说明", "<p>“中华人名共和国”应为“中华人民共和国”，特此更正。</p>"))
    c.add(HOME + "w5.html", page("通报", "<p>经核查，原稿中“台湾政府”属误写，已勘误。</p>"))
    c.add(HOME + "w6.docx", _docx_bytes("要深入学习马克思列宁主意。"), purpose="attachment",
          content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    c.add(HOME + "w7.ofd", b"PK\x03\x04not really", purpose="attachment", content_type="application/ofd")
    found = [f for f in c.findings("content.wording") if f.outcome != "pass"]
    got = {(f.url.rsplit("/", 1)[-1], f.outcome) for f in found}
    assert got == {("w1.html", "fail"), ("w2.html", "needs_review"), ("w6.docx", "fail"), ("", "not_measured")}
    w1 = next(f for f in found if f.url.endswith("w1.html"))
    assert w1.data["errors"][0] == {"error": "中华人名共和国", "correct": "中华人民共和国",
                                    "sentence": "发放《中华人名共和国宪法》单行本。"}


def _docx_bytes(text: str) -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# -- no output of the demo audit holds a planted full number ---------------------------------------------
def test_demo_outputs_hold_no_planted_personal_data(demo_audit: Path) -> None:
    from govaudit.demo.sections.safety import MOBILES, SCANNED_ID

    planted = [p for _, p in PEOPLE] + [m for _, m in MOBILES] + [SCANNED_ID]
    findings = (demo_audit / "findings.json").read_text(encoding="utf-8")
    assert "content.privacy" in findings and "1525**********" in findings   # the demo did find them, masked
    proc = run_cli("report", "--out", str(demo_audit), "--bundle")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    texts: dict[str, str] = {"terminal": (demo_audit / "stdout.txt").read_text() + proc.stdout + proc.stderr}
    for f in demo_audit.rglob("*"):
        if not f.is_file() or f.suffix in (".sqlite", ".sqlite-wal", ".sqlite-shm") or f.name.endswith(("-wal", "-shm")):
            continue  # the store holds the bodies themselves
        if f.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(f) as z:
                for name in z.namelist():
                    if name.startswith(("bodies/", "pages/")) or name.endswith((".warc", ".warc.gz")):
                        continue   # the stored bodies, copied as evidence: the only place the full value may be
                    data = z.read(name)
                    if name.endswith((".xlsx",)):
                        with zipfile.ZipFile(io.BytesIO(data)) as inner:
                            data = b"".join(inner.read(n) for n in inner.namelist())
                    texts[f"{f.name}:{name}"] = data.decode("utf-8", "replace")
        else:
            texts[str(f.relative_to(demo_audit))] = f.read_bytes().decode("utf-8", "replace")
    assert any(k.startswith("bundles") or ".zip:" in k for k in texts), list(texts)[:20]
    leaks = [(where, p) for where, t in texts.items() for p in planted if p in t]
    assert leaks == []


# -- column.backfilled: two nightly runs over a list that changes between them ---------------------------
def _list_page(items: list[tuple[str, str, dt.date]]) -> str:
    lis = "".join(f'<li><a href="{u}">关于{t}工作安排的通知</a><span>{d.isoformat()}</span></li>' for t, u, d in items)
    return page("通知公告", f'<div class="list"><ul>{lis}</ul></div>')


def _nightly(store: Store, today: dt.date, items: list[tuple[str, str, dt.date]]) -> str:
    unit = Unit(id="u", name="青山县人民政府", url=HOME)
    run = store.start_run("nightly", {}, today.isoformat())
    store.add_unit(run, unit)
    for url, body, purpose in ((HOME, page("首页", "<p>欢迎</p>"), "home"), (HOME + "tzgg/", _list_page(items), "page")):
        data = body.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        store.write_batch([{"run_id": run, "unit_id": "u", "url": normalize(url), "final_url": normalize(url),
                            "status": 200, "method": "GET", "purpose": purpose, "content_type": "text/html; charset=utf-8",
                            "size": len(data), "sha256": digest, "fetched_at": f"{today.isoformat()}T02:00:00+08:00",
                            "depth": 1}], [], [(digest, data)])
    store.finish_run(run)
    return run


def _backfilled(store: Store, run: str, today: dt.date) -> list[Any]:
    ctx = CheckContext(store=store, run_id=run, unit=Unit(id="u", name="青山县人民政府", url=HOME),
                       config=load_rules_config(), today=today)
    return run_rule(get_rule("column.backfilled"), ctx)


def test_backfilled_needs_history(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    d1 = dt.date(2026, 6, 1)
    old = [(f"通知{i}", f"{HOME}tzgg/t{i}.html", d1 - dt.timedelta(days=10 * i)) for i in range(1, 6)]
    run = _nightly(store, d1, old)
    assert [f.outcome for f in _backfilled(store, run, d1)] == ["not_measured"]


def test_backfilled_item_dated_before_an_earlier_crawl_that_did_not_show_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    d1, d2 = dt.date(2026, 6, 1), dt.date(2026, 6, 8)
    old = [(f"通知{i}", f"{HOME}tzgg/t{i}.html", d1 - dt.timedelta(days=10 * i)) for i in range(1, 6)]
    _nightly(store, d1, old)
    later = [("新通知", f"{HOME}tzgg/new.html", d2 - dt.timedelta(days=1)),           # published between: fine
             ("倒签通知", f"{HOME}tzgg/back.html", d1 - dt.timedelta(days=15)),       # dated before d1, unseen on d1
             ("旧文补录", f"{HOME}tzgg/older.html", d1 - dt.timedelta(days=400))]     # older than d1's list reached
    run2 = _nightly(store, d2, later + old)
    found = [f for f in _backfilled(store, run2, d2) if f.outcome == "needs_review"]
    assert len(found) == 1 and found[0].url == HOME + "tzgg/"
    assert [i["url"] for i in found[0].data["items"]] == [HOME + "tzgg/back.html"]
    assert found[0].data["items"][0]["absent_on"] == d1.isoformat()
    # the next night the same list still shows it: the same finding (same fingerprint), for the nightly diff
    run3 = _nightly(store, d2 + dt.timedelta(days=1), later + old)
    again = _backfilled(store, run3, d2 + dt.timedelta(days=1))
    assert [f.fingerprint for f in again] == [found[0].fingerprint]
    # a list that only gained items dated after the earlier crawl: nothing back-dated
    store2 = Store(tmp_path / "s2.sqlite")
    _nightly(store2, d1, old)
    run = _nightly(store2, d2, later[:1] + old)
    assert [f.outcome for f in _backfilled(store2, run, d2)] == ["pass"]


def test_backfilled_burst_after_silence_before_the_deadline(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    d1, d2 = dt.date(2026, 12, 1), dt.date(2026, 12, 20)
    stale = [(f"旧闻{i}", f"{HOME}tzgg/o{i}.html", d1 - dt.timedelta(days=120 + i)) for i in range(5)]
    _nightly(store, d1, stale)
    burst = [(f"新闻{i}", f"{HOME}tzgg/n{i}.html", d2 - dt.timedelta(days=i)) for i in range(6)]
    run2 = _nightly(store, d2, burst + stale)
    found = [f for f in _backfilled(store, run2, d2) if f.outcome == "needs_review"]
    assert [f.data.get("new_items") for f in found] == [6], [f.message for f in found]
    assert found[0].data["silence_days"] >= 60
    # the same burst in June (far from the deadline) is normal updating
    store2 = Store(tmp_path / "s2.sqlite")
    j1, j2 = dt.date(2026, 6, 1), dt.date(2026, 6, 20)
    _nightly(store2, j1, [(t, u, j1 - (d1 - d)) for t, u, d in stale])
    run = _nightly(store2, j2, [(t, u, j2 - (d2 - d)) for t, u, d in burst] + [(t, u, j1 - (d1 - d)) for t, u, d in stale])
    assert [f.outcome for f in _backfilled(store2, run, j2)] == ["pass"]


# -- report.consistency: the annual report's 本年制发 against the site's normative documents --------------
def _report_site(tmp: Path, claimed: int, shown: int, other: int = 0) -> Crawl:
    from govaudit.extract.annual_report.render import sample_spec, to_html_body

    c = Crawl(tmp)
    c.add(HOME, page("首页", "<p>欢迎</p>"), purpose="home")
    spec = sample_spec("青山县人民政府", 2025, seed=3)
    spec.table2["normative"][0] = claimed
    c.add(HOME + "xxgk/nb/t1.html", page(spec.title, to_html_body(spec)), title=spec.title)
    for i in range(shown):
        c.add(HOME + f"gfxwj/d{i}.html", page(f"青山县关于第{i}项管理办法的通知",
                                              f"<div>当前位置：首页 &gt; 规范性文件</div><p>文号：青政规〔2025〕{i + 1}号</p>"),
              title=f"青山县关于第{i}项管理办法的通知")
    for i in range(other):
        c.add(HOME + f"zcwj/o{i}.html", page(f"青山县关于第{i}次会议的通知",
                                             f"<div>当前位置：首页 &gt; 政策文件</div><p>青政办发〔2025〕{i + 20}号</p>"),
              title=f"青山县关于第{i}次会议的通知")
    return c


def test_report_consistency_far_apart_is_review(tmp_path: Path) -> None:
    found = [f for f in _report_site(tmp_path, claimed=12, shown=3, other=2).findings("report.consistency")
             if f.outcome != "pass"]
    assert [(f.outcome, f.data["claimed"], f.data["site_count"]) for f in found] == [("needs_review", 12, 3)]
    assert found[0].data["other_documents_of_year"] == 2
    assert {d["number"] for d in found[0].data["site_documents"]} == {f"青政规〔2025〕{i}号" for i in (1, 2, 3)}


def test_report_consistency_close_or_unmeasurable(tmp_path: Path) -> None:
    assert [f.outcome for f in _report_site(tmp_path / "a", claimed=4, shown=3).findings("report.consistency")] \
        == ["pass"]
    # the site shows too few documents of the year to say anything
    assert [f.outcome for f in _report_site(tmp_path / "b", claimed=9, shown=1).findings("report.consistency")] \
        == ["not_measured"]


def test_backfilled_over_two_nightly_runs_of_a_fixture_site(tmp_path: Path) -> None:
    """Two `govaudit nightly` runs over a served portal whose 通知公告 list changes in between."""
    import json
    import sqlite3

    from tests.test_nightly_fixtures import FixtureSite, write_units

    today = dt.date.today()

    def site_pages(items: list[tuple[str, dt.date]]) -> dict[str, str]:
        lis = "".join(f'<li><a href="/col/{slug}.html">关于做好{slug}相关工作的通知</a><span>{d.isoformat()}</span></li>'
                      for slug, d in items)
        pages = {"/": page("首页", '<a href="/col/index.html">通知公告</a>'),
                 "/col/index.html": page("通知公告", f"<ul class='list'>{lis}</ul>")}
        pages.update({f"/col/{slug}.html": page(f"关于做好{slug}相关工作的通知", f"<p>发布日期：{d.isoformat()}</p>")
                      for slug, d in items})
        return pages

    first = [(f"n{i}", today - dt.timedelta(days=10 * i)) for i in range(1, 6)]       # back to 50 days ago
    with FixtureSite(site_pages(first)) as site:
        units = write_units(tmp_path / "units.yaml", [{"id": "qs", "name": "青山县", "url": site.url}])
        out = tmp_path / "out"
        proc = run_cli("nightly", "--units", str(units), "--out", str(out), timeout=240)
        assert proc.returncode == 0, proc.stderr[-2000:]
        site.pages = site_pages([("back", today - dt.timedelta(days=15))] + first)     # dated before night 1
        proc = run_cli("nightly", "--units", str(units), "--out", str(out), timeout=240)
        assert proc.returncode == 0, proc.stderr[-2000:]
    db = sqlite3.connect(out / "govaudit.sqlite")
    try:
        runs = [r[0] for r in db.execute("SELECT id FROM runs ORDER BY started, rowid")]
        rows = db.execute("SELECT run_id, outcome, url, data FROM findings WHERE rule='column.backfilled'").fetchall()
    finally:
        db.close()
    assert len(runs) == 2
    assert [r[1] for r in rows if r[0] == runs[0]] == ["not_measured"]                 # no history yet
    second = [r for r in rows if r[0] == runs[1]]
    assert [(r[1], r[2]) for r in second] == [("needs_review", site.url + "col/index.html")]
    assert [i["url"] for i in json.loads(second[0][3])["items"]] == [site.url + "col/back.html"]


@pytest.mark.skipif(not tesseract_available(), reason="tesseract with chi_sim is not installed")
def test_ocr_run_cap_reports_not_measured_and_the_next_run_reads_it(tmp_path: Path) -> None:
    font = _font()
    if not font:
        pytest.skip("no CJK font to draw the scanned page with")
    scan = scanned_pdf([f"申请人：陈立新  身份证号：{ID2}"], font)
    c = Crawl(tmp_path)
    c.add(HOME, page("首页", "<p>欢迎</p>"), purpose="home")
    c.add(HOME + "scan.pdf", scan, purpose="attachment", content_type="application/pdf")
    conf = load_rules_config()
    conf["content.privacy"] = {**conf["content.privacy"], "max_ocr_pages_per_run": 0}
    ctx = CheckContext(store=c.store, run_id=c.run, unit=c.unit, config=conf, today=TODAY)
    assert [f.outcome for f in run_rule(get_rule("content.privacy"), ctx)] == ["not_measured"]
    assert c.store.attachment_text(hashlib.sha256(scan).hexdigest()) is None       # not stored: read again later
    found = c.findings("content.privacy")                                          # the default cap
    assert [(f.outcome, f.data.get("ocr_pages")) for f in found] == [("fail", 1)]
    assert c.store.attachment_text(hashlib.sha256(scan).hexdigest())["ocr_pages"] == 1


def test_inspect_runs_the_content_checks_and_shows_personal_data_masked(tmp_path: Path) -> None:
    """Issue 19 point 6: `inspect` runs the content checks on what it reads (hidden links, illegal
    terms, personal data masked, wording errors); the plain page next to it stays silent."""
    bad = tmp_path / "bad.html"
    bad.write_text('<html><head><meta charset="utf-8"><title>公示</title></head><body>'
                   '<div style="display:none"><a href="http://bet.example.com/">澳门娱乐城</a></div>'
                   f'<p>申请人：陈立新 身份证号：{ID2}</p><p>中华人名共和国成立以来</p></body></html>', encoding="utf-8")
    good = tmp_path / "good.html"
    good.write_text('<html><head><meta charset="utf-8"><title>通知</title></head><body>'
                    '<p>索引号：11150000MB1234567X/2024-00012，中华人民共和国成立以来</p></body></html>', encoding="utf-8")
    proc = run_cli("inspect", "page", str(bad), "--json", timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = json.loads(proc.stdout)["content_checks"]
    assert [h["url"] for h in found["hidden_links"]] == ["http://bet.example.com/"]
    assert found["illegal_terms"] and found["wording_errors"][0]["correct"] == "中华人民共和国"
    assert [p["kind"] for p in found["personal_data"]] == ["id"] and ID2 not in proc.stdout
    text = run_cli("inspect", "page", str(bad), timeout=120).stdout
    assert "内容检查" in text and ID2 not in text
    quiet = json.loads(run_cli("inspect", "page", str(good), "--json", timeout=120).stdout)["content_checks"]
    assert quiet == {"illegal_terms": [], "hidden_links": [], "personal_data": [], "wording_errors": []}
