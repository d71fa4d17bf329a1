"""A hostile web for the fault-matrix tests: sites that misbehave in every way we know, on 127.0.0.1.

``HostileServer(web)`` is the sample web's proxy (``SampleServer``) plus a few hostile hosts:

- ``hostile.gov.test``: a column whose list links one article per fault ``CASES`` names
  (charsets, truncation, empty and binary bodies, a 50 MB page, a gzip bomb, redirect loops,
  redirects to private addresses, 404/410/500/503, flapping, stalls, script in titles,
  query-string variants, a page robots.txt forbids) and whose 下一页 chain never ends.
- ``trap.gov.test``: an endless calendar (every day links three more) and a report under a
  path its robots.txt forbids, for a registry row that overrides robots.txt with a reason.
- ``guarded.gov.test``: two list pages whose articles all answer 412 with an anti-bot challenge.

Every other host is answered by the sample web, so one crawl covers hostile and normal sites.
Every request that reaches the server is logged in ``hits`` (URL, monotonic time), so tests
can tell how often a URL was asked — and that a private address never was. Pages are
written here: invented texts of a fictitious county, in the shape of real annual reports.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
import traceback
import zlib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from crawler.samples.server import SampleServer, _Handler
from crawler.samples.web import SampleWeb

HOST = "hostile.gov.test"
TRAP_HOST = "trap.gov.test"
GUARDED_HOST = "guarded.gov.test"
HOSTS = (HOST, TRAP_HOST, GUARDED_HOST)
LIST = f"http://{HOST}/xxgk/index.html"
CALENDAR = f"http://{TRAP_HOST}/calendar/index.html?date=2024-01-01"
GUARDED_LIST = f"http://{GUARDED_HOST}/xxgk/index.html"
INTRANET_URLS = ("http://10.20.30.40/xxgk/index.html", "http://169.254.169.254/latest/meta-data/")
GUARDED_ARTICLES = 5
HUGE = 50 * 1024 * 1024
ROBOTS = "User-agent: *\nDisallow: /private/\n"


@dataclass(frozen=True)
class Case:
    name: str
    what: str  # the fault, for the list page and the test ids


CASES = {
    c.name: c
    for c in (
        Case("charset-missing", "GBK bytes, no charset in the header or the page"),
        Case("charset-wrong", "GBK bytes, the header says Big5"),
        Case("charset-contradicting", "UTF-8 bytes, the header says GBK and the page says UTF-8"),
        Case("gbk-as-utf8", "GBK bytes, header and page both say UTF-8"),
        Case("mojibake", "UTF-8 text read as Latin-1 and encoded again as UTF-8"),
        Case("truncated-html", "the markup stops in the middle of the text"),
        Case("truncated-transfer", "the connection closes before Content-Length is reached"),
        Case("empty-html", "HTTP 200, a page with no text"),
        Case("zero-bytes", "HTTP 200, no body at all"),
        Case("huge", "a 50 MB page announced by Content-Length"),
        Case("huge-streamed", "a 50 MB page without Content-Length"),
        Case("binary", "PNG bytes served as text/html"),
        Case("gzip-bomb", "64 KB of gzip that inflate to 64 MB"),
        Case("redirect-loop", "two URLs that redirect to each other"),
        Case("redirect-chain", "a redirect to a new URL, for ever"),
        Case("to-loopback", "a redirect to 127.0.0.1"),
        Case("to-private", "a redirect to 10.x"),
        Case("to-metadata", "a redirect to the cloud metadata address 169.254.169.254"),
        Case("to-localhost", "a redirect to localhost"),
        Case("not-found", "HTTP 404"),
        Case("gone", "HTTP 410"),
        Case("server-error", "HTTP 500 every time"),
        Case("retry-after", "HTTP 503 with Retry-After: 2, then the page"),
        Case("retry-after-long", "HTTP 503 with Retry-After of a day"),
        Case("flapping", "502, an answer cut off, 502, …"),
        Case("flaky", "HTTP 500 once, then the page"),
        Case("stall", "accepts the connection and says nothing for minutes"),
        Case("stall-body", "sends headers and a little of the body, then nothing for minutes"),
        Case("script-title", "script and markup in the title and the text"),
        Case("variants", "one page linked under four spellings of its URL"),
        Case("robots", "a page under a path robots.txt forbids"),
    )
}
# With ``HostileServer.broken`` set, the column answers a maintenance notice (a 200 with no links)
# and pages that gave reports answer with a fault instead: a later crawl must leave their
# archived reports as they were.
MAINTENANCE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>系统维护</title></head><body>'
    "<p>网站系统升级维护中，暂停访问，给您带来不便敬请谅解。</p></body></html>"
)
SABOTAGE = {
    "charset-missing": "zero-bytes",
    "charset-wrong": "binary",
    "gbk-as-utf8": "mojibake",
    "retry-after": "server-error",
    "flaky": "truncated-transfer",
    "variants": "empty-html",
    "script-title": "not-found",
}
VARIANT_LINKS = (
    "/case/variants.html?utm_source=wechat",
    "/case/variants.html?spm=a1.b2",
    "/case/variants.html#top",
    "/case/variants.html?from=singlemessage&isappinstalled=0",
)


def case_url(name: str) -> str:
    if name == "robots":
        return f"http://{HOST}/private/robots.html"
    return f"http://{HOST}/case/{name}.html"


def title(name: str) -> str:
    return f"示例县人民政府2023年政府信息公开工作年度报告（{name}）"


def report_text(name: str) -> list[str]:
    """Paragraphs of an invented report, different for every case (so each is its own report)."""
    n = sum(name.encode()) % 97 + 3
    return [
        "一、总体情况",
        f"本年度示例县人民政府围绕公开目录建设开展工作，编号{name}，全年主动公开文件{n}件。",
        "二、主动公开政府信息情况",
        f"县政府门户网站更新栏目{n + 11}个，发布政策解读{n * 2}篇，组织线上访谈{n % 7 + 1}次。",
        "三、收到和处理政府信息公开申请情况",
        f"全年收到公开申请{n + 40}件，按期答复{n + 40}件，其中予以公开{n + 20}件。",
        "四、政府信息公开行政复议、行政诉讼情况",
        f"因公开工作被申请行政复议{n % 5}件，结果均为维持。",
        "五、存在的主要问题及改进情况",
        "部分单位更新不够及时，下一年度将加强培训并定期检查栏目内容。",
        "六、其他需要报告的事项",
        "本报告为测试用的虚构文字，数字不代表任何真实机关。",
    ]


def article_html(name: str, charset_meta: str | None = "utf-8", title_html: str | None = None, extra: str = "") -> str:
    head = f'<meta charset="{charset_meta}">' if charset_meta else ""
    heading = title_html if title_html is not None else title(name)
    paragraphs = "".join(f"<p>{p}</p>" for p in report_text(name))
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{heading}_示例县人民政府</title></head><body>"
        f'<div class="crumb">当前位置：首页 &gt; 政府信息公开年报</div><h1>{heading}</h1>'
        f'<div id="zoom">{paragraphs}{extra}</div><div class="footer">示例县人民政府办公室 主办（虚构）</div>'
        "</body></html>"
    )


def list_html(links: list[tuple[str, str]], next_url: str | None = None, extra: str = "") -> str:
    items = "".join(f'<li><a href="{url}">{text}</a><span>2024-01-15</span></li>' for url, text in links)
    pager = f'<a href="{next_url}">下一页</a>' if next_url else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报_示例县</title></head><body>'
        f'<h2>政府信息公开年报</h2><ul>{items}</ul><div class="pager">{pager}{extra}</div></body></html>'
    )


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """64 MB of spaces in about 64 KB of gzip, built chunk by chunk (never 64 MB in memory)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b" " * (1 << 20)
    return b"".join(c.compress(chunk) for _ in range(64)) + c.flush()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


class _HostileHandler(_Handler):
    hostile: HostileServer

    def _serve(self, method: str) -> None:
        target = self.path
        url = (
            target
            if target.startswith("http://")
            else f"http://{(self.headers.get('Host') or '').split(':')[0].lower()}{target}"
        )
        self.hostile.hits.append((url, time.monotonic()))
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host not in HOSTS:
            return super()._serve(method)
        try:
            self._hostile(host, parts.path, parse_qs(parts.query), url)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler hung up (size caps, timeouts): that is the point

    def _page(
        self, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200, headers: tuple = ()
    ) -> None:
        self._send(status, [("Content-Type", content_type), *headers], body, "GET")

    def _hostile(self, host: str, path: str, query: dict, url: str) -> None:
        if path == "/robots.txt":
            return self._page(ROBOTS.encode(), "text/plain")
        if host == GUARDED_HOST:
            return self._guarded(path)
        if host == TRAP_HOST:
            return self._trap(path, query)
        if path == "/xxgk/index.html" and self.hostile.broken:  # the column down for maintenance, with a 200
            return self._page(MAINTENANCE.encode())
        if path == "/xxgk/index.html" or path.startswith("/xxgk/list_"):
            return self._list(path)
        if path == "/private/robots.html":
            return self._page(article_html("robots").encode())
        name = path.removeprefix("/case/").removesuffix(".html")
        if self.hostile.broken and name in SABOTAGE:
            return getattr(self, "_case_" + SABOTAGE[name].replace("-", "_"))(name, query)
        getattr(self, "_case_" + name.replace("-", "_"), self._missing)(name, query)

    def _missing(self, name, query) -> None:
        self._page(b"<html><body>not here</body></html>", status=404)

    def _list(self, path: str) -> None:
        """The column: every case on the first page; 下一页 to list_N+1 on every page, for ever."""
        n = 1 if path.endswith("index.html") else int(path.rsplit("_", 1)[1].split(".")[0])
        links = []
        if n == 1:
            for name in CASES:
                if name == "variants":
                    links += [(link, title(name)) for link in VARIANT_LINKS]
                else:
                    links.append((case_url(name), title(name)))
        self._page(list_html(links, f"/xxgk/list_{n + 1}.html").encode())

    def _trap(self, path: str, query: dict) -> None:
        if path == "/private/permitted.html":
            return self._page(article_html("permitted").encode())
        day = dt.date.fromisoformat((query.get("date") or ["2024-01-01"])[0])
        links = [("/private/permitted.html", title("permitted"))] if day == dt.date(2024, 1, 1) else []
        later = [day + dt.timedelta(days=d) for d in (1, 30, 365)]
        extra = "".join(f'<a href="/calendar/index.html?date={d}">{t}</a>' for d, t in zip(later[1:], ("»", "后一页")))
        self._page(list_html(links, f"/calendar/index.html?date={later[0]}", extra).encode())

    def _guarded(self, path: str) -> None:
        """Two list pages of articles that all answer 412; the second list page comes a second late,
        after the challenges of the first page's articles have been seen."""
        if path in ("/xxgk/index.html", "/xxgk/list_2.html"):
            second = path.endswith("list_2.html")
            if second:
                self.hostile.stopping.wait(1.0)
            links = [
                (f"/art/{i}.html", title(f"guarded-{i}"))
                for i in range(1 + second * GUARDED_ARTICLES, 1 + (1 + second) * GUARDED_ARTICLES)
            ]
            return self._page(list_html(links, None if second else "/xxgk/list_2.html").encode())
        challenge = (
            '<html><head><meta charset="utf-8"></head><body><script>'
            "var _$c='x9';document.cookie='challenge='+_$c;location.reload();</script></body></html>"
        )
        self._page(challenge.encode(), status=412, headers=(("Set-Cookie", "challenge=1; path=/"),))

    # -- the cases -------------------------------------------------------------------------------

    def _case_charset_missing(self, name, query):
        self._page(article_html(name, charset_meta=None).encode("gbk"), "text/html")

    def _case_charset_wrong(self, name, query):
        self._page(article_html(name, charset_meta=None).encode("gbk"), "text/html; charset=big5")

    def _case_charset_contradicting(self, name, query):
        self._page(article_html(name, charset_meta="utf-8").encode("utf-8"), "text/html; charset=gbk")

    def _case_gbk_as_utf8(self, name, query):
        self._page(article_html(name, charset_meta="utf-8").encode("gbk"), "text/html; charset=utf-8")

    def _case_mojibake(self, name, query):
        self._page(article_html(name).encode("utf-8").decode("latin-1").encode("utf-8"))

    def _case_truncated_html(self, name, query):
        page = article_html(name).encode("utf-8")
        self._page(page[: page.index("三、".encode())])

    def _case_truncated_transfer(self, name, query):
        page = article_html(name).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(page[: len(page) // 2])
        self.wfile.flush()
        self.close_connection = True

    def _case_empty_html(self, name, query):
        self._page(b'<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body></body></html>')

    def _case_zero_bytes(self, name, query):
        self._page(b"")

    def _stream(self, size: int, length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if length:
            self.send_header("Content-Length", str(size))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = (("<p>" + "示例文字" * 80 + "</p>\n").encode() * 256)[: 1 << 20]
        sent = 0
        while sent < size and not self.hostile.stopping.is_set():
            self.wfile.write(chunk[: size - sent])
            sent += len(chunk)

    def _case_huge(self, name, query):
        self._stream(HUGE, length=True)

    def _case_huge_streamed(self, name, query):
        self._stream(HUGE, length=False)

    def _case_binary(self, name, query):
        self._page(PNG, "text/html")

    def _case_gzip_bomb(self, name, query):
        self._page(gzip_bomb(), "text/html; charset=utf-8", headers=(("Content-Encoding", "gzip"),))

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, [("Location", location), ("Content-Type", "text/html")], b"", "GET")

    def _case_redirect_loop(self, name, query):
        self._redirect("/case/redirect-loop-back.html")

    def _case_redirect_loop_back(self, name, query):
        self._redirect("/case/redirect-loop.html")

    def _case_redirect_chain(self, name, query):
        n = int((query.get("n") or ["0"])[0])
        self._redirect(f"/case/redirect-chain.html?n={n + 1}")

    def _case_to_loopback(self, name, query):
        self._redirect(f"http://127.0.0.1:{self.hostile.port}/secret.html")

    def _case_to_private(self, name, query):
        self._redirect("http://10.0.0.8/admin/index.html")

    def _case_to_metadata(self, name, query):
        self._redirect("http://169.254.169.254/latest/meta-data/iam/", 301)

    def _case_to_localhost(self, name, query):
        self._redirect(f"http://localhost:{self.hostile.port}/secret.html")

    def _case_not_found(self, name, query):
        self._page(b"<html><body>404</body></html>", status=404)

    def _case_gone(self, name, query):
        self._page(b"<html><body>410</body></html>", status=410)

    def _case_server_error(self, name, query):
        self._page(b"<html><body>500</body></html>", status=500)

    def _asked(self, name: str) -> int:
        """How many times this case's URL has been asked so far (this request included)."""
        url = case_url(name)
        return sum(1 for u, _ in self.hostile.hits if u.split("?")[0].split("#")[0] == url)

    def _case_retry_after(self, name, query):
        if self._asked(name) == 1:
            return self._page(b"<html><body>busy</body></html>", status=503, headers=(("Retry-After", "2"),))
        self._page(article_html(name).encode())

    def _case_retry_after_long(self, name, query):
        self._page(b"<html><body>busy</body></html>", status=503, headers=(("Retry-After", "86400"),))

    def _case_flapping(self, name, query):
        if self._asked(name) % 2 == 0:  # an answer cut off after its headers (not a silent drop: the client
            return self._case_truncated_transfer(name, query)  # library would resend that one by itself)
        self._page(b"<html><body>bad gateway</body></html>", status=502)

    def _case_flaky(self, name, query):
        if self._asked(name) == 1:
            return self._page(b"<html><body>500</body></html>", status=500)
        self._page(article_html(name).encode())

    def _case_stall(self, name, query):
        self.hostile.stopping.wait(300)

    def _case_stall_body(self, name, query):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(article_html(name).encode()[:300])
        self.wfile.flush()
        self.hostile.stopping.wait(300)
        self.close_connection = True

    def _case_script_title(self, name, query):
        heading = title(name) + "<script>alert('title')</script><img src=x onerror=alert(1)>"
        extra = (
            "<p>附：&lt;script&gt;alert('text')&lt;/script&gt; 与 &lt;b onmouseover=alert(2)&gt;说明&lt;/b&gt;</p>"
            "<script>document.write('injected')</script>"
        )
        meta = (
            '<meta name="ArticleTitle" content="'
            + title(name)
            + '&lt;script&gt;alert(&quot;meta&quot;)&lt;/script&gt;">'
        )
        page = article_html(name, title_html=heading, extra=extra).replace("<head>", "<head>" + meta, 1)
        self._page(page.encode())

    def _case_variants(self, name, query):
        self._page(article_html(name).encode())


class HostileServer(SampleServer):
    """The sample web's proxy with the hostile hosts added; ``hits`` logs every request received."""

    def __init__(self, web: SampleWeb, port: int = 0, host: str = "127.0.0.1"):
        self.hits: list[tuple[str, float]] = []
        self.stopping = threading.Event()
        self.broken = False  # the next night: see SABOTAGE and MAINTENANCE
        super().__init__(web, port, host)
        self.httpd.RequestHandlerClass = type(
            "HostileHandler", (_HostileHandler,), {"web": web, "quiet": True, "hostile": self}
        )
        self.httpd.handle_error = self._handle_error

    @staticmethod
    def _handle_error(request, client_address) -> None:
        """Clients that hang up are the normal case here (caps, timeouts); anything else is printed."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            traceback.print_exc()

    def stop(self) -> None:
        self.stopping.set()  # releases the stalled handlers
        super().stop()

    def asked(self, url: str) -> list[float]:
        """Times at which ``url`` (any query or fragment spelling of it) was requested."""
        base = url.split("?")[0].split("#")[0]
        return [t for u, t in self.hits if u.split("?")[0].split("#")[0] == base]
