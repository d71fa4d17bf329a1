"""Unit tests of the fault handling's pure parts: Retry-After, body checks, URL variants, charsets, registry."""

from __future__ import annotations

import datetime as dt

import pytest
from support.hostile import PNG, article_html

from crawler import registry
from crawler.faults import body_problem
from crawler.retry import retry_after_seconds
from pipelines.dedupe import canonical_url
from pipelines.encoding import decode


def test_retry_after_seconds_and_dates():
    now = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert retry_after_seconds(b"120", now) == 120
    assert retry_after_seconds("Wed, 01 May 2024 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Wed, 01 May 2024 11:00:00 GMT", now) == 0  # in the past: at once
    assert retry_after_seconds(None) is None and retry_after_seconds(b"soon") is None


@pytest.mark.parametrize(
    "body, kind",
    [
        (b"", "empty"),
        (b"  \r\n", "empty"),
        (PNG, "binary"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "binary"),
        (article_html("x").encode("gbk"), None),
        ("\ufeff<html>年报</html>".encode("utf-16"), None),
    ],
)
def test_body_problem(body, kind):
    assert (body_problem(body) or (None,))[0] == kind


def test_tracking_parameters_do_not_make_another_page():
    base = "http://a.gov.test/art/2024/1/2/art_1_2.html"
    for variant in (
        f"{base}?utm_source=wechat",
        f"{base}?from=singlemessage&isappinstalled=0",
        f"{base}#top",
        f"{base}?spm=a.b.c",
    ):
        assert canonical_url(variant) == base
    assert canonical_url("http://a.gov.test/x.jsp?b=2&id=7&a=1") == "http://a.gov.test/x.jsp?a=1&b=2&id=7"
    assert canonical_url("http://a.gov.test/x.jsp?id=7") != canonical_url("http://a.gov.test/x.jsp?id=8")


def test_gbk_declared_as_big5_is_read_as_gbk():
    page = article_html("big5").encode("gbk")
    decoded = decode(page, "text/html; charset=big5")
    assert decoded.encoding == "gb18030" and decoded.mismatch and "主动公开" in decoded.text
    real_big5 = "<html><body>政府資訊公開年度報告，本年度共收到申請一百二十件。</body></html>".encode("big5")
    assert decode(real_big5, "text/html; charset=big5").text.startswith("<html><body>政府資訊公開")


def test_robots_override_is_an_optional_registry_column():
    header = "site_id,name,adcode,level,platform,start_urls"
    sites, errors = registry.parse(f"{header}\na,A,,county,generic,http://a.gov.test/\n", ("generic",))
    assert not errors and sites[0].robots_override is None
    sites, errors = registry.parse(
        f"{header},robots_override\na,A,,county,generic,http://a.gov.test/,site's written permission\n", ("generic",)
    )
    assert sites[0].robots_override == "site's written permission"
    assert sites[0].as_row()["robots_override"] == "site's written permission"
