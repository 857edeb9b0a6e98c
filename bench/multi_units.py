#!/usr/bin/env python3
"""Print a units file for the multi-site benchmark: N sites on 127.0.0.11, 127.0.0.12, … :PORT.

usage: multi_units.py N PORT > units.yaml
Every site is its own host (so its own download slot), crawled politely: per-site delay 0.25 s,
one request at a time, AutoThrottle on — the settings of a nightly run.
"""
from __future__ import annotations

import sys


def units_yaml(n: int, port: int) -> str:
    lines = ["defaults:", "  delay: 0.25", "  concurrency_per_site: 1", "  autothrottle: true",
             "  global_concurrency: 64", "  skip_hosts: [beian.miit.gov.cn]", "units:"]
    for i in range(1, n + 1):
        lines += [f"  - id: site{i:02d}", f"    name: 测试{i:02d}县人民政府",
                  f"    url: http://127.0.0.{10 + i}:{port}/"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(units_yaml(int(sys.argv[1]), int(sys.argv[2])))
