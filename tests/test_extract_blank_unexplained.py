"""column.blank and column.stale over the list layouts of issue 19: a <dl> list is a list (not
blank, dated), a year-less stale column is stale, an empty list the extractor cannot explain is
needs_review (never fail), an empty list container with a script writing the DOM is reviewed."""
from __future__ import annotations

import datetime as dt

from tests.platform_site import build, page, problems
from tests.test_columns import TODAY, _site


def _d(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_dl_list_is_not_blank_and_is_dated(tmp_path) -> None:
    dds = "".join(f'<dd><a href="/gzdt/{i}.html">动态{i}号</a></dd><dd>{_d(n).isoformat()}</dd>' for i, n in ((1, 30), (2, 40)))
    ctx = build(tmp_path, _site(TODAY, **{"/gzdt/": page("工作动态", f'<dl class="lb">{dds}</dl>')}), TODAY)
    assert not [f for f in problems(ctx, "column.blank") if f.url.endswith("/gzdt/")]
    stale = problems(ctx, "column.stale")
    assert [(f.url.rsplit(".cn", 1)[-1], f.data["newest"]) for f in stale] == [("/gzdt/", _d(30).isoformat())]


def test_yearless_stale_column(tmp_path) -> None:
    lis = "".join(f'<li><span>{_d(n).strftime("%m-%d")}</span><a href="/gzdt/{i}.html">测试县第{i}次工作会议召开</a></li>'
                  for i, n in ((1, 25), (2, 50)))
    ctx = build(tmp_path, _site(TODAY, **{"/gzdt/": page("工作动态", f'<ul class="gl">{lis}</ul>')}), TODAY)
    stale = problems(ctx, "column.stale")
    assert [(f.url.rsplit(".cn", 1)[-1], f.data["age_days"]) for f in stale] == [("/gzdt/", 25)]


def test_unexplained_empty_list_is_needs_review(tmp_path) -> None:
    over = {"/zdxm/": page("重大建设项目", '<h2>重大建设项目</h2><div class="con"><a href="/zdxm/a.html">项目</a></div>')}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY)
    got = {f.url.rsplit(".cn", 1)[-1]: f for f in problems(ctx, "column.blank")}
    assert got["/zdxm/"].outcome == "needs_review" and got["/zdxm/"].data["unexplained"]


def test_empty_list_with_dom_script_is_reviewed(tmp_path) -> None:
    script = ("<script>var d = [{t: '项目一', u: '/zdxm/1.html'}]; d.forEach(function (x) {"
              " var li = document.createElement('li'); li.innerHTML = x.t; document.getElementById('xm').appendChild(li); });</script>")
    over = {"/zdxm/": page("重大建设项目", f'<h2>重大建设项目</h2><ul id="xm"></ul>{script}')}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY)
    got = {f.url.rsplit(".cn", 1)[-1]: f for f in problems(ctx, "column.blank")}
    assert got["/zdxm/"].outcome == "needs_review" and got["/zdxm/"].data["js_list"]
