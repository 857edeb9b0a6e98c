"""Serve the demo site (and its 'other websites') on loopback addresses, in threads."""
from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from govaudit.demo.site import Resource, Site, build_site


def _handler(resources: Callable[[], dict[str, Resource]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "DemoCMS/1.0"
        protocol_version = "HTTP/1.1"

        def _send(self, head: bool) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            res = resources().get(path)
            if res is None:
                res = Resource(404, "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>".encode())
            status = res.head_status if head and res.head_status else res.status
            self.send_response(status)
            self.send_header("Content-Type", res.content_type)
            self.send_header("Content-Length", str(len(res.body)))
            for k, v in res.headers.items():
                self.send_header(k, v)
            self.end_headers()
            if not head:
                self.wfile.write(res.body)

        def do_GET(self) -> None:
            self._send(head=False)

        def do_HEAD(self) -> None:
            self._send(head=True)

        def log_message(self, *args: object) -> None:  # quiet
            pass

    return Handler


class DemoServers:
    """The portal on 127.0.0.1 and its 'external' neighbours on 127.0.0.2, both on free ports."""

    def __init__(self, today: dt.date | None = None, host: str = "127.0.0.1", port: int = 0,
                 rendering: bool = True) -> None:
        self.today = today
        self.site: Site | None = None
        self.external = ThreadingHTTPServer(("127.0.0.2", 0), _handler(lambda: self.site.external_resources))  # type: ignore[union-attr]
        ext_url = f"http://127.0.0.2:{self.external.server_address[1]}"
        self.site = build_site(today, external=ext_url, rendering=rendering)
        self.portal = ThreadingHTTPServer((host, port), _handler(lambda: self.site.resources))  # type: ignore[union-attr]
        self.url = f"http://{host}:{self.portal.server_address[1]}/"
        self.threads: list[threading.Thread] = []

    def start(self) -> "DemoServers":
        for srv in (self.portal, self.external):
            t = threading.Thread(target=srv.serve_forever, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self) -> None:
        for srv in (self.portal, self.external):
            srv.shutdown()
            srv.server_close()

    def __enter__(self) -> "DemoServers":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
