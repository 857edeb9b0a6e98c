"""report.* on the demo portal: the late PDF report, the table-3 error, the DOCX without section 五,
the missing year — found, and nothing else (the correct HTML report yields no finding)."""
from __future__ import annotations

import json

from govaudit.demo.verify import compare
from tests.conftest import demo_problems, read_findings, run_cli


def test_every_planted_report_defect_found_and_nothing_else(demo_audit):
    expected, got = demo_problems(demo_audit, "report.")
    assert {e["rule"] for e in expected} == {"report.late", "report.arithmetic", "report.structure", "report.missing",
                                            "report.consistency"}  # the last one planted by demo/sections/safety.py
    missing, unexpected = compare(expected, got)
    assert missing == [], missing
    assert unexpected == [], unexpected


def test_demo_findings_name_cells_formats_and_dates(demo_audit):
    fs = [f for f in read_findings(demo_audit) if f["rule"].startswith("report.")]
    arith = [f for f in fs if f["rule"] == "report.arithmetic" and f["outcome"] == "fail"]
    assert {f["data"]["identity"] for f in arith} == {"b", "c"}
    assert all(f["data"]["format"] == "pdf" and f["target"].endswith(".pdf") for f in arith)
    c = next(f for f in arith if f["data"]["identity"] == "c")
    assert c["data"]["failures"][0]["scope"] == "三、(一)予以公开"
    (late,) = [f for f in fs if f["rule"] == "report.late" and f["outcome"] == "fail"]
    assert late["data"]["days_late"] == 25 and late["data"]["date_source"].startswith("meta:PubDate")
    (struct,) = [f for f in fs if f["rule"] == "report.structure" and f["outcome"] == "fail"]
    assert struct["data"]["format"] == "docx" and struct["data"]["missing_sections"] == ["五、存在的主要问题及改进情况"]
    (miss,) = [f for f in fs if f["rule"] == "report.missing" and f["outcome"] == "fail"]
    assert miss["data"]["year"] == min(miss["data"]["years_found"]) + 1


def test_inspect_annual_report_prints_model_and_identities(tmp_path):
    from govaudit.extract.annual_report.render import sample_spec, to_docx

    spec = sample_spec("青山县人民政府", 2024, seed=9)
    spec.table3["total"][0] += 1
    path = tmp_path / "nb.docx"
    path.write_bytes(to_docx(spec))
    proc = run_cli("inspect", "annual-report", str(path), "--json", timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["format"] == "docx" and out["year"] == 2024 and out["status"] == "ok"
    assert len(out["table3"]["cells"]) == 25
    assert {x["id"] for x in out["failed_identities"]} == {"a", "b", "c"}
    assert out["structure"]["missing_sections"] == []


def test_inspect_a_report_page_follows_its_attachment(tmp_path):
    """An appraiser gives the page URL; the report is in the PDF it links."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from govaudit.extract.annual_report.render import sample_spec, to_pdf

    spec = sample_spec("青山县人民政府", 2023, seed=2)
    (tmp_path / "nb.pdf").write_bytes(to_pdf(spec))
    (tmp_path / "page.html").write_text(
        f"<html><head><meta charset='utf-8'><title>{spec.title}</title></head><body><h1>{spec.title}</h1>"
        f"<p>发布日期：2024-03-01</p><p>附件：<a href='nb.pdf'>{spec.title}.pdf</a></p></body></html>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/page.html"
        proc = run_cli("inspect", "annual-report", url, "--json", timeout=120)
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["document_url"].endswith("/nb.pdf") and out["format"] == "pdf" and out["year"] == 2023
    assert out["failed_identities"] == [] and out["structure"]["missing_sections"] == []
