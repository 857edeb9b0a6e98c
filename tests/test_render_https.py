"""A portal served over HTTPS with a self-signed certificate: the crawler (which does not verify
certificates) reads it, the browser refuses it — site.https reports the certificate, link.hidden
says its rendered part was not measured. Skipped without a browser."""
from __future__ import annotations

import datetime as dt
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from govaudit.crawler.render import find_browser
from tests.conftest import read_findings, run_cli

HOME = ('<html><head><meta charset="utf-8"><title>测试县人民政府</title></head><body>'
        '<a href="/a.html">通知</a><img src="http://127.0.0.1:9/logo.png"></body></html>')


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = HOME.encode() if self.path in ("/", "/a.html") else b"not found"
        self.send_response(200 if self.path in ("/", "/a.html") else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_self_signed_portal(tmp_path: Path) -> None:
    if find_browser() is None:
        pytest.skip("no Chromium installed")
    cert, key = _self_signed(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/"
        proc = run_cli("audit", url, "--out", str(tmp_path / "out"), "--name", "测试县")
    finally:
        server.shutdown()
        server.server_close()
    findings = read_findings(tmp_path / "out")
    https = {f["data"].get("error", "") and "cert" or "mixed": f for f in findings
             if f["rule"] == "site.https" and f["outcome"] == "needs_review"}
    assert set(https) == {"cert", "mixed"}, (proc.stderr[-2000:], [f["message"] for f in findings if f["rule"] == "site.https"])
    assert "ERR_CERT" in https["cert"]["message"]
    hidden = [f for f in findings if f["rule"] == "link.hidden"]
    assert [f["outcome"] for f in hidden] == ["not_measured"] and "ERR_CERT" in hidden[0]["message"]
