"""Serve the sample web on 127.0.0.1 as an HTTP proxy for its hostnames.

A crawler with ``http_proxy=http://127.0.0.1:PORT`` set reaches ``http://www.yichun.gov.test/…``
exactly as it would reach a real site: the proxy receives absolute-form request lines
(``GET http://host/path HTTP/1.1``) and answers as that host. Requests in origin form are
answered for the host named by their Host header, so the server also works as a plain
virtual-host server. HTTPS (CONNECT) is refused: the samples are plain HTTP, as most county
sites still are. Stdlib ``http.server`` is enough here: the proxy only ever talks to local
test clients, and keeping it dependency-free lets every test start it in a thread.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .web import SampleWeb

MAX_BODY = 1 << 20  # request bodies (dataproxy.jsp form posts) are tiny


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nianbao-samples"
    web: SampleWeb
    quiet = True

    def do_GET(self):
        self._serve("GET")

    def do_HEAD(self):
        self._serve("HEAD")

    def do_POST(self):
        self._serve("POST")

    def do_CONNECT(self):
        self._send(
            501,
            [("Content-Type", "text/plain; charset=utf-8")],
            b"nianbao samples: HTTPS is not served; the sample sites are plain http://\n",
            "CONNECT",
        )

    def _serve(self, method: str) -> None:
        target = self.path
        if target.startswith("http://"):
            url = target
        elif target.startswith("/"):
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            if host in ("", "127.0.0.1", "localhost"):
                body = (
                    "nianbao sample web: use me as an HTTP proxy (curl -x http://127.0.0.1:PORT URL).\n"
                    "Hosts:\n" + "".join(f"  http://{h}/\n" for h in self.web.hosts)
                ).encode()
                self._send(200, [("Content-Type", "text/plain; charset=utf-8")], body, method)
                return
            url = f"http://{host}{target}"
        else:
            self._send(400, [("Content-Type", "text/plain; charset=utf-8")], b"bad request target\n", method)
            return
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        body = self.rfile.read(length) if length else b""
        response = self.web.respond(method, url, dict(self.headers.items()), body)
        self._send(response.status, response.headers, response.body, method, has_length=True)

    def _send(self, status, headers, body: bytes, method: str, has_length: bool = False) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if not has_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD" and body:
            self.wfile.write(body)

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


class SampleServer:
    """The proxy in a background thread: ``with SampleServer(web) as s: s.proxy_url``."""

    def __init__(self, web: SampleWeb, port: int = 0, host: str = "127.0.0.1", quiet: bool = True):
        handler = type("Handler", (_Handler,), {"web": web, "quiet": quiet})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SampleServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="nianbao-samples", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
