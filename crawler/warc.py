"""Raw evidence: every response of a crawl written to a WARC file (ISO 28500) through warcio.

A journalist must be able to prove what a page said on a date, so each response is kept as
the server sent it: status line, headers and body, one gzip member per record, in
``NIANBAO_WARC_DIR`` (default: a ``warc/`` folder beside the archive), one file per crawl.
A 304 answer is written as a ``revisit`` record (profile server-not-modified), and a body
whose digest was already written in this crawl as a ``revisit`` (identical-payload-digest).
Where each response went is put in ``request.meta["warc"]`` as ``(file name, offset)``, so the
archive can point every page and version at its record.

Scrapy has already undone the transfer's gzip when we see a response, so the record holds
the decoded body: ``Content-Encoding`` is dropped and ``Content-Length`` restated, keeping the
record consistent for replay tools.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

from scrapy import signals
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.store.paths import warc_dir
from crawler.faults import stop_crawl

_DROP = {"content-encoding", "content-length", "transfer-encoding"}


class WarcEvidence:
    """A Scrapy extension (``EXTENSIONS``) writing one WARC file per crawl."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.path: Path | None = None
        self.file = None
        self.writer: WARCWriter | None = None
        self.digests: dict[str, tuple[str, str]] = {}  # payload digest -> (uri, date) first written

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(warc_dir(crawler.settings["NIANBAO_DB"], crawler.settings["NIANBAO_WARC_DIR"]))
        ext.crawler = crawler
        crawler.signals.connect(ext.open, signal=signals.spider_opened)
        crawler.signals.connect(ext.close, signal=signals.spider_closed)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def open(self, spider=None):
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        self.path = self.directory / f"nianbao-{stamp}.warc.gz"
        self.file = open(self.path, "wb")
        self.writer = WARCWriter(self.file, gzip=True)
        info = self.writer.create_warcinfo_record(self.path.name, {"software": "nianbao", "format": "WARC/1.1"})
        self.writer.write_record(info)

    def close(self, spider=None, reason=None):
        if self.file:
            self.file.close()
            self.file = None

    def response_received(self, response, request, spider=None):
        if self.writer is None:
            return
        date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        headers = [
            (k.decode("latin-1"), b", ".join(v).decode("latin-1"))
            for k, v in response.headers.items()
            if k.decode("latin-1").lower() not in _DROP
        ]
        body = response.body
        headers.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{response.status} {_reason(response.status)}", headers, protocol="HTTP/1.1")
        digest = "sha1:" + hashlib.sha1(body).hexdigest()
        offset = self.file.tell()
        if response.status == 304:
            record = self.writer.create_revisit_record(
                response.url, digest=digest, refers_to_uri=response.url, refers_to_date=date, http_headers=http
            )
            record.rec_headers.replace_header(
                "WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
            )
        elif body and digest in self.digests:
            uri, first = self.digests[digest]
            record = self.writer.create_revisit_record(
                response.url, digest=digest, refers_to_uri=uri, refers_to_date=first, http_headers=http
            )
        else:
            record = self.writer.create_warc_record(
                response.url, "response", payload=io.BytesIO(body), http_headers=http
            )
            if body:
                self.digests[digest] = (response.url, date)
        try:
            self.writer.write_record(record)
            self.file.flush()
        except OSError as e:  # disk full: the evidence cannot be kept, so neither can the pages
            self.writer = None
            message = f"cannot write the WARC file {self.path}: {e}"
            self.crawler.stats.set_value("nianbao/storage_error", message)
            stop_crawl(self.crawler, "storage_error")
            raise
        request.meta["warc"] = (self.path.name, offset)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
