"""ConditionalRequestsMiddleware and the resume plan, over a real store (no crawl)."""
from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse, Request, Response

from govaudit.crawler.incremental import REVALIDATED, ConditionalRequestsMiddleware, resume_plan
from govaudit.store import Store, sha256

BODY = "<html><head><title>通知公告</title></head><body><a href='/a.html'>甲</a></body></html>".encode()
URL = "http://www.x.gov.cn/tzgg/index.html"


@pytest.fixture
def prev(tmp_path):
    path = tmp_path / "govaudit.sqlite"
    s = Store(path)
    run_id = s.start_run("nightly", {})
    headers = {"ETag": '"abc"', "Last-Modified": "Wed, 21 Oct 2026 07:28:00 GMT", "Content-Type": "text/html; charset=utf-8",
               "Content-Encoding": "gzip", "Server": "nginx"}
    s.write_batch([
        {"run_id": run_id, "unit_id": "u", "url": URL, "final_url": URL, "status": 200, "method": "GET",
         "purpose": "page", "headers": headers, "sha256": sha256(BODY)},
        {"run_id": run_id, "unit_id": "u", "url": "http://www.x.gov.cn/gone.html", "status": 200, "method": "GET",
         "purpose": "page", "headers": {"ETag": '"zzz"'}, "sha256": "0" * 64},   # body pruned
        {"run_id": run_id, "unit_id": "u", "url": "http://www.x.gov.cn/plain.html", "status": 200, "method": "GET",
         "purpose": "page", "headers": {"Content-Type": "text/html"}, "sha256": sha256(BODY)},  # no validators
    ], [], [(sha256(BODY), BODY)])
    s.finish_run(run_id)
    s.close()
    mw = ConditionalRequestsMiddleware(str(path), run_id)
    yield mw
    mw.conn.close()


def _req(url: str = URL, purpose: str = "page", method: str = "GET", **meta: object) -> Request:
    return Request(url, method=method, meta={"purpose": purpose, "chain": [], **meta})


def test_validators_from_the_previous_run_and_304_reuses_the_body(prev):
    req = _req()
    prev.process_request(req)
    assert req.headers["If-None-Match"] == b'"abc"' and req.headers["If-Modified-Since"]
    resp = prev.process_response(req, Response(URL, status=304, headers={"ETag": '"abc"', "Date": "x"}, request=req))
    assert isinstance(resp, HtmlResponse) and resp.status == 200 and resp.body == BODY
    assert resp.headers[REVALIDATED] == b"304" and resp.headers["Server"] == b"nginx"
    assert b"Content-Encoding" not in resp.headers and resp.headers["Content-Length"] == str(len(BODY)).encode()
    assert resp.css("title::text").get() == "通知公告"


def test_a_changed_page_comes_back_as_it_is(prev):
    req = _req()
    prev.process_request(req)
    fresh = HtmlResponse(URL, status=200, body=b"<html>new</html>", request=req)
    assert prev.process_response(req, fresh) is fresh


@pytest.mark.parametrize("req", [
    _req(purpose="render"), _req(purpose="soft404-probe"), _req(method="HEAD"), _req(playwright=True),
    _req(chain=[["http://www.x.gov.cn/old", 301]]), _req("http://www.x.gov.cn/gone.html"),
    _req("http://www.x.gov.cn/plain.html"), _req("http://www.x.gov.cn/new.html"),
])
def test_no_conditional_request_where_it_could_mislead(prev, req):
    prev.process_request(req)
    assert b"If-None-Match" not in req.headers and b"If-Modified-Since" not in req.headers
    r304 = Response(req.url, status=304, request=req)
    assert prev.process_response(req, r304) is r304  # an unasked 304 is recorded as it is


def test_resume_plan_lists_stored_urls_and_the_frontier(tmp_path):
    s = Store(tmp_path / "govaudit.sqlite")
    run_id = s.start_run("nightly", {})
    home, col = "http://www.x.gov.cn/", "http://www.x.gov.cn/col/"
    s.write_batch(
        [{"run_id": run_id, "unit_id": "u", "url": home, "final_url": home, "status": 200, "purpose": "home", "depth": 0},
         {"run_id": run_id, "unit_id": "u", "url": col, "final_url": "http://www.x.gov.cn/col/index.html",
          "redirects": json.dumps([[col, 302]]), "status": 200, "purpose": "page", "depth": 1},
         {"run_id": run_id, "unit_id": "u", "url": "http://ext.example.com/", "status": 404, "purpose": "check",
          "depth": 1}],
        [{"page_ref": 0, "run_id": run_id, "unit_id": "u", "target": col, "text": "栏目", "external": 0},
         {"page_ref": 0, "run_id": run_id, "unit_id": "u", "target": "http://xxgk.x.gov.cn/", "text": "信息公开",
          "external": 0},
         {"page_ref": 1, "run_id": run_id, "unit_id": "u", "target": "http://www.x.gov.cn/a.html", "text": "甲",
          "external": 0},
         {"page_ref": 2, "run_id": run_id, "unit_id": "u", "target": "http://never/", "external": 1}], [])
    s.close()
    plan = resume_plan(str(tmp_path / "govaudit.sqlite"), run_id)["u"]
    assert plan.home_done and plan.pages == 3 and plan.errors == 1
    assert {col, "http://www.x.gov.cn/col/index.html", "http://ext.example.com/"} <= plan.urls
    assert "xxgk.x.gov.cn" in plan.hosts  # a platform host brought into scope stays in scope
    assert [(t, d) for t, d, _, _ in plan.frontier] == [(col, 1), ("http://xxgk.x.gov.cn/", 1),
                                                        ("http://www.x.gov.cn/a.html", 2)]
