#!/usr/bin/env python3
"""The province benchmark (issue 22): many units on local host aliases, some of them sharing one
集约化 platform host, served by a slow server that records every request; the night is run with one
process and with N distributed workers, and each host's politeness record is held against its limits.

usage: .venv/bin/python bench/province.py [--units 300] [--shared 50] [--pages 300] [--delay 0.25]
           [--concurrency 2] [--latency 0.05] [--workers 0 2 4] [--port 18200] [--out DIR]

Units 1 … units-shared live on their own host (127.0.1.1, 127.0.1.2 …); the other `shared` units
live under /u<j>/ of one host, 127.0.2.1 (a county platform serving its departments). Every unit has
a home page, columns and articles, about `pages` pages in all, made on the fly. The server sleeps
`latency` seconds per answer, like a slow government host, and records (host, start, end) of each
request. `--workers 0` is the single process (`govaudit audit --units`); N > 0 runs `govaudit
collect` and N `govaudit worker`s over a local redis-server.

For each run it prints: wall time, pages served, pages/s, and per host the most requests at once
and the smallest gap between two starts, against the unit's `concurrency_per_site` and `delay`. A
violation is a host with more requests at once than its concurrency, or two starts closer than half
its delay less JITTER (Scrapy randomises a slot's delay between 0.5x and 1.5x; the distributed leases
hold the full delay: the line also counts the gaps under the full delay, which must be 0 for
workers). Starts are the kernel's arrival stamps of the request packets on lo (`capture`,
needs root; the line says "kernel clock"), else the server's own record, which lags by its loop
stalls on a loaded machine ("server clock"). It also prints the politeness bound: the slowest
host's (requests - 1) x delay / 1, and the night's wall time as a multiple of it. OUT keeps the
record: requests-N.json (the server's), arrivals-N.json (the kernel's), stalls-N.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_HOST = "127.0.2.1"
JITTER = 0.02  # seconds: how far the server's record of a start may lag the request on a loaded machine
SO_TIMESTAMPNS = 35  # Linux: receive timestamps in nanoseconds (not exported by the socket module)


def own_host(i: int) -> str:
    return f"127.0.1.{i}" if i < 255 else f"127.0.{1 + i // 254}.{i % 254 + 1}"


# -- the sites ---------------------------------------------------------------------------------
def page(title: str, links: list[tuple[str, str]], text: str = "") -> bytes:
    items = "".join(f'<li><a href="{h}">{t}</a><span>2026-11-{1 + n % 28:02d}</span></li>' for n, (t, h) in enumerate(links))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<h1>{title}</h1><ul class="list">{items}</ul><p>{text}</p></body></html>').encode("utf-8")


def site_page(prefix: str, path: str, pages: int) -> bytes | None:
    """Home → 10 columns → articles (about `pages` pages in all) under `prefix`."""
    columns = 10
    per_column = max(1, (pages - 1 - columns) // columns)
    rel = path[len(prefix):] if path.startswith(prefix) else None
    if rel is None:
        return None
    if rel in ("", "index.html"):
        return page("县人民政府", [(f"栏目{c}", f"{prefix}col{c}/") for c in range(columns)])
    parts = rel.strip("/").split("/")
    if len(parts) == 1 and parts[0].startswith("col"):
        c = parts[0][3:]
        return page(f"栏目{c}", [(f"文章{k}", f"{prefix}col{c}/a{k}.html") for k in range(per_column)])
    if len(parts) == 2 and parts[1].startswith("a") and parts[1].endswith(".html"):
        return page(f"文章 {parts[0]}/{parts[1]}", [("首页", prefix)], "正文" * 50)
    return None


def capture(port: int, starts: list[tuple[str, float, str, str]]) -> bool:
    """Record the moment each request reached the host, stamped by the kernel (a packet socket on
    lo with SO_TIMESTAMPNS): user-space stalls of the server do not move it. Needs root; returns
    False without it (then the server's own record, taken when its handler runs, is used)."""
    try:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
        sock.bind(("lo", 0))
    except (OSError, AttributeError):
        return False
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)

    def read() -> None:
        while True:
            data, anc, _, addr = sock.recvmsg(65535, 256)
            if addr[2] != socket.PACKET_HOST or data[12:14] != b"\x08\x00" or data[23] != 6:  # IPv4 TCP, arriving
                continue
            ip = data[14:]
            tcp = ip[(ip[0] & 15) * 4:]
            if struct.unpack("!H", tcp[2:4])[0] != port:
                continue
            payload = tcp[(tcp[12] >> 4) * 4:]
            if not payload.startswith((b"GET ", b"HEAD ", b"POST ")):
                continue
            if payload.split(b" ", 2)[1].startswith(b"/__"):  # the benchmark's own questions
                continue
            stamp = next(struct.unpack("qq", v[:16]) for lvl, typ, v in anc if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS)
            who = "browser" if b"Sec-Fetch-Mode" in payload else "fetch"
            starts.append((socket.inet_ntoa(ip[16:20]), stamp[0] + stamp[1] / 1e9,
                           payload.split(b" ", 2)[1].decode("latin-1"), who))

    threading.Thread(target=read, daemon=True).start()
    return True


def serve(args: argparse.Namespace) -> None:
    from aiohttp import web  # the server side only: the benchmark's own process

    # The server stands in for other machines: on one shared 2-core box its record of a start is
    # only as good as its turn on the CPU, so it runs ahead of the crawl when allowed (root).
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -10)
    except OSError:
        print("province: the server runs at normal priority (not root): its record may lag", file=sys.stderr)

    log: list[tuple[str, float, float, str, str]] = []  # host, start, end, path, who (browser or fetch)

    async def handle(request: web.Request) -> web.Response:
        start = time.monotonic()
        host = (request.host or "").split(":")[0]
        if request.path == "/__log":
            return web.json_response(log)
        if request.path == "/__stalls":
            return web.json_response(stalls)
        if request.path == "/__capture":
            return web.json_response(captured if captured_on else None)
        await asyncio.sleep(args.latency)
        if host == SHARED_HOST:
            j = request.path.split("/")[1] if request.path.count("/") > 1 else ""
            body = site_page(f"/{j}/", request.path, args.pages) if j.startswith("u") else None
        else:
            body = site_page("/", request.path, args.pages)
        who = "browser" if "Sec-Fetch-Mode" in request.headers or "HeadlessChrome" in request.headers.get("User-Agent", "") else "fetch"
        log.append((host, start, time.monotonic(), request.path, who))
        if body is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    stalls: list[tuple[float, float]] = []  # (when, seconds): the server's own loop stalls
    captured: list[tuple[str, float, str, str]] = []  # host, kernel time of arrival, path, who
    captured_on = capture(args.port, captured)

    async def watch() -> None:
        # a start is recorded when the handler runs: a stalled server loop would record two
        # requests that arrived apart as one instant, so the record says when it was late
        while True:
            t = time.monotonic()
            await asyncio.sleep(0.01)
            late = time.monotonic() - t - 0.01
            if late > 0.03:
                stalls.append((t, round(late, 3)))

    async def main() -> None:
        asyncio.get_running_loop().create_task(watch())
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        hosts = [own_host(i) for i in range(1, args.units - args.shared + 1)] + [SHARED_HOST]
        for h in hosts:
            await web.TCPSite(runner, h, args.port, backlog=512).start()
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


# -- the runs ----------------------------------------------------------------------------------
def units_yaml(args: argparse.Namespace) -> str:
    lines = ["defaults:", f"  delay: {args.delay}", f"  concurrency_per_site: {args.concurrency}", "  autothrottle: false",
             "  global_concurrency: 256", "  check_external: false", "  obey_robots: false", f"  max_pages: {args.pages * 2}",
             "units:"]
    for i in range(1, args.units - args.shared + 1):
        lines += [f"  - id: unit{i:03d}", f"    name: 测试{i:03d}县人民政府", f"    url: http://{own_host(i)}:{args.port}/"]
    for j in range(1, args.shared + 1):
        lines += [f"  - id: dept{j:03d}", f"    name: 测试县第{j:03d}部门", f"    url: http://{SHARED_HOST}:{args.port}/u{j}/"]
    return "\n".join(lines) + "\n"


def fetch_log(args: argparse.Namespace) -> list[tuple]:
    with urllib.request.urlopen(f"http://{SHARED_HOST}:{args.port}/__log", timeout=60) as r:  # noqa: S310
        return [tuple(x) for x in json.load(r)]


def politeness(log: list[tuple], args: argparse.Namespace, arrivals: list[list] | None) -> dict[str, object]:
    """Concurrency from the server's record (start, end of each answer); gaps between starts from
    the kernel's arrival stamps when captured, else from the server's record."""
    by_host: dict[str, list[tuple[float, float]]] = {}
    for host, start, end, *_ in log:
        by_host.setdefault(host, []).append((start, end))
    arrived: dict[str, list[float]] = {}
    for host, stamp, *_ in arrivals or []:
        arrived.setdefault(host, []).append(stamp)
    worst_conc, worst_gap, violations, bound, gaps, short = 0, float("inf"), [], 0.0, 0, 0
    for host, spans in by_host.items():
        events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
        now = peak = 0
        for _, d in events:
            now += d
            peak = max(peak, now)
        starts = sorted(arrived.get(host) or [s for s, _ in spans])
        between = [b - a for a, b in zip(starts, starts[1:])]
        gap = min(between, default=float("inf"))
        gaps += len(between)
        short += sum(g < args.delay - 0.005 for g in between)  # the workers hold the full delay
        worst_conc, worst_gap = max(worst_conc, peak), min(worst_gap, gap)
        if peak > args.concurrency or gap < 0.5 * args.delay - JITTER:
            violations.append({"host": host, "peak": peak, "min_gap": round(gap, 3)})
        bound = max(bound, (len(spans) - 1) * args.delay)
    return {"hosts": len(by_host), "max_concurrent": worst_conc, "min_gap": round(worst_gap, 3),
            "violations": violations, "bound": round(bound, 1), "clock": "kernel" if arrivals else "server",
            "gaps": gaps, "short": short}


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_night(args: argparse.Namespace, workers: int, units: Path, out: Path) -> float:
    py = [sys.executable, "-m", "govaudit"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    t0 = time.monotonic()
    if workers == 0:
        subprocess.run([*py, "-q", "audit", "--units", str(units), "--out", str(out)], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, check=False)
        return time.monotonic() - t0
    redis_server = shutil.which("redis-server")
    if not redis_server:
        sys.exit("province: redis-server is needed for the distributed runs (scripts/setup-system.sh)")
    port = free_port()
    rs = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                          stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        common = ["--redis", f"redis://127.0.0.1:{port}/0", "--units", str(units), "--run", f"province-{workers}"]
        t0 = time.monotonic()
        collector = subprocess.Popen([*py, "-q", "collect", *common, "--out", str(out), "--workers", str(workers)],
                                     cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        procs = [subprocess.Popen([*py, "-q", "worker", *common, "--id", f"w{i}"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL) for i in range(workers)]
        for p in procs:
            p.wait()
        collector.wait()
        return time.monotonic() - t0
    finally:
        rs.send_signal(signal.SIGTERM)
        rs.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=300)
    ap.add_argument("--shared", type=int, default=50)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--delay", type=float, default=0.25)
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--workers", type=int, nargs="+", default=[0, 2, 4])
    ap.add_argument("--port", type=int, default=18200)
    ap.add_argument("--out", default="/tmp/govaudit-province")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args)
        return
    work = Path(args.out)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    units = work / "units.yaml"
    units.write_text(units_yaml(args), encoding="utf-8")
    for workers in args.workers:
        server = subprocess.Popen([sys.executable, __file__, "--serve", *sys.argv[1:]], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None and server.stdout.readline().strip() == "ready"
            secs = run_night(args, workers, units, work / f"out-{workers}")
            log = fetch_log(args)
            (work / f"requests-{workers}.json").write_text(json.dumps(log), encoding="utf-8")  # the server's record
            with urllib.request.urlopen(f"http://{SHARED_HOST}:{args.port}/__stalls", timeout=60) as r:  # noqa: S310
                (work / f"stalls-{workers}.json").write_bytes(r.read())
            with urllib.request.urlopen(f"http://{SHARED_HOST}:{args.port}/__capture", timeout=60) as r:  # noqa: S310
                arrivals = json.load(r)
            if arrivals is not None:
                (work / f"arrivals-{workers}.json").write_text(json.dumps(arrivals), encoding="utf-8")
        finally:
            server.terminate()
            server.wait(timeout=30)
        pol = politeness(log, args, arrivals)
        mode = "1 process" if workers == 0 else f"{workers} workers"
        print(f"province: {args.units} units ({args.shared} on one shared host), {mode}: {secs:.1f} s, "
              f"{len(log)} requests, {len(log) / secs:.1f} pages/s; hosts {pol['hosts']}, most at once "
              f"{pol['max_concurrent']} (limit {args.concurrency}), smallest gap {pol['min_gap']} s (delay "
              f"{args.delay} s, {pol['clock']} clock), gaps under the delay {pol['short']} of {pol['gaps']}, violations "
              f"{len(pol['violations'])}; politeness bound {pol['bound']} s, "
              f"night = {secs / max(pol['bound'], 1e-9):.2f}x the bound", flush=True)
        for v in pol["violations"][:5]:
            print(f"  violation: {v}", flush=True)


if __name__ == "__main__":
    main()
