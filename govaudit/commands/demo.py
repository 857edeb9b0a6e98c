"""govaudit demo — serve the bundled demo portal on 127.0.0.1 and audit it, end to end, offline."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from govaudit.commands._common import load_rules, parse_today, writes_out

# Filing and badge sites that the demo links like every real portal, but cannot reach offline.
DEMO_SKIP_HOSTS = ["beian.miit.gov.cn", "www.beian.gov.cn", "conac.cn"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="serve the demo portal on 127.0.0.1 and audit it")
    p.add_argument("--out", default="out/demo", help="output folder (default: out/demo)")
    p.add_argument("--port", type=int, default=0, help="port for the portal (default: a free one)")
    p.add_argument("--serve", action="store_true", help="only serve the portal until Ctrl-C")
    p.add_argument("--today", metavar="YYYY-MM-DD")
    p.add_argument("--rules-config", metavar="FILE")
    p.set_defaults(func=run)


def demo_unit(url: str):  # noqa: ANN201
    from govaudit.model import Unit  # start-up cost: a command loads its stages when it runs

    return Unit(id="qingshan", name="青山县人民政府", url=url, kind="government", level="county",
                overrides={"skip_hosts": DEMO_SKIP_HOSTS})


@writes_out()
def run(args: argparse.Namespace) -> int:
    from govaudit.commands.audit import print_summary  # start-up cost: a command loads its stages when it runs
    from govaudit.demo.server import DemoServers  # start-up cost: a command loads its stages when it runs
    from govaudit.demo.verify import compare, expected_findings  # start-up cost: a command loads its stages when it runs
    from govaudit.pipeline import audit  # start-up cost: a command loads its stages when it runs

    from govaudit.crawler.render import find_browser  # start-up cost: a command loads its stages when it runs

    today = parse_today(args.today)
    rules_conf = load_rules(args)
    # what the audit will see of script-filled lists depends on whether it can render them
    rendering = bool(rules_conf["crawl"].get("render", True)) and find_browser() is not None
    with DemoServers(today=today, port=args.port, rendering=rendering) as servers:
        print(f"演示网站：{servers.url}")
        if args.serve:
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
        defaults = {**rules_conf["crawl"], "delay": 0.0, "autothrottle": False, "concurrency_per_site": 8,
                    "timeout": 10}
        result = audit([demo_unit(servers.url)], Path(args.out), defaults, rules_conf, today=today)
        expected = expected_findings(servers.site, servers.url)
    print_summary(result)
    findings = json.loads((Path(args.out) / "findings.json").read_text(encoding="utf-8"))["findings"]
    (Path(args.out) / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
    missing, unexpected = compare(expected, findings)
    print(f"planted defects found: {len(expected) - len(missing)}/{len(expected)}; "
          f"findings not planted: {len(unexpected)}")
    for e in missing:
        print(f"  missed: {e['rule']} {e['outcome']} {e['url']} {e['target'] or ''} ({e['note']})")
    for f in unexpected:
        print(f"  not planted: {f['rule']} {f['outcome']} {f['url']} {f['target'] or ''}: {f['message']}")
    # The demo succeeds when the audit finds exactly what was planted (its fail findings are the point).
    if result.exit_code == 3:
        return 3
    return 0 if not missing and not unexpected else 1
