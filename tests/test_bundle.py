"""Evidence bundle: a zip per unit whose manifest hashes match its files, with the raw bodies of the
cited pages and a WARC that standard tools read back."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

from warcio.archiveiterator import ArchiveIterator

from govaudit.reports.bundle import verify_bundle
from tests.conftest import run_cli
from tests.test_report_kit import home_body, make_store


def test_bundle_manifest_hashes_match_files_and_warc_replays(tmp_path):
    store, rid = make_store(tmp_path)
    store.close()
    proc = run_cli("report", "--out", str(tmp_path), "--bundle", "--warc", timeout=180)
    assert proc.returncode == 1, proc.stderr  # fail findings: report exits as check does
    path = tmp_path / "bundles" / f"a-{rid}.zip"
    assert path.exists()
    assert verify_bundle(path) == []
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        names = set(z.namelist())
        for f in manifest["files"]:
            assert hashlib.sha256(z.read(f["path"])).hexdigest() == f["sha256"] and len(z.read(f["path"])) == f["size"]
        assert {"units/a.html", "scores.xlsx", "evidence.warc.gz"} <= names
        body = home_body("a")
        digest = hashlib.sha256(body).hexdigest()
        page = next(p for p in manifest["pages"] if p["url"] == "http://a.example.gov.cn/")
        assert page["sha256"] == digest and page["fetched_at"] and page["status"] == 200
        assert z.read(page["file"]) == body and page["warc_record_id"]
        assert manifest["version"] and manifest["run"]["id"] == rid and manifest["unit"]["id"] == "a"
        assert manifest["scores"]["standard"]["rubric_version"] == "2026.1"
        records = [(r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                   for r in ArchiveIterator(io.BytesIO(z.read("evidence.warc.gz"))) if r.rec_type == "response"]
        assert ("http://a.example.gov.cn/", body) in records
    # tampering is detected
    tampered = tmp_path / "t.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for n in src.namelist():
            dst.writestr(n, b"changed" if n == "scores.xlsx" else src.read(n))
    assert verify_bundle(tampered) == ["sha256 mismatch: scores.xlsx"]


def test_no_warc_unless_asked_and_bundle_only_on_request(tmp_path):
    store, rid = make_store(tmp_path)
    store.close()
    assert run_cli("report", "--out", str(tmp_path), timeout=180).returncode == 1  # fail findings, as check
    assert not (tmp_path / "bundles").exists()
    assert run_cli("report", "--out", str(tmp_path), "--bundle", timeout=180).returncode == 1
    with zipfile.ZipFile(tmp_path / "bundles" / f"a-{rid}.zip") as z:
        assert "evidence.warc.gz" not in z.namelist()
