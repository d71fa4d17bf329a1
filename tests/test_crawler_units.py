"""Registry, adapters and the private-address guard, without a crawl."""

from __future__ import annotations

import pytest
from scrapy.http import Request

from crawler import adapters, registry, samples
from crawler.middlewares import PrivateAddressGuard, PrivateAddressRefused, private_reason
from pipelines.encoding import decode

PLATFORMS = tuple(adapters.ADAPTERS)


def test_registry_reads_good_rows_and_reports_bad_ones():
    text = (
        "site_id,name,adcode,level,platform,start_urls\n"
        "a,甲,360900,prefecture,trs,http://a.test/x/index.html http://a.test/y/\n"
        "b,乙,3609,county,auto,http://b.test/\n"
        "c,丙,,village,auto,http://c.test/\n"
        "d,丁,,county,cms9,http://d.test/\n"
        "e,戊,,county,auto,ftp://e.test/\n"
        "a,again,,county,auto,http://a2.test/\n"
    )
    sites, errors = registry.parse(text, PLATFORMS, "t.csv")
    assert [s.site_id for s in sites] == ["a"]
    assert sites[0].start_urls == ("http://a.test/x/index.html", "http://a.test/y/")
    assert len(errors) == 5 and errors[0].startswith("t.csv:3: adcode")
    with pytest.raises(registry.RegistryError, match="header"):
        registry.parse("id,name\n", PLATFORMS)


def test_sample_registry_is_valid(web1):
    sites, errors = registry.parse(samples.registry_csv(web1.world), PLATFORMS)
    assert not errors and len(sites) == len(web1.world.sites)


def _walk(web, site, adapter=None):
    """Follow an adapter through a sample column without Scrapy: the links it finds, the adapter."""
    queue = [(samples.start_url(site), "GET", None, {})]
    seen, links = set(), set()
    while queue:
        url, method, body, headers = queue.pop()
        if (url, body) in seen:
            continue
        seen.add((url, body))
        response = web.respond(method, url, headers, body or b"")
        if response.status == 301:
            queue.append((response.header("Location"), "GET", None, {}))
            continue
        text = decode(response.body, response.header("Content-Type")).text
        adapter = adapter or adapters.detect(url, text)
        listing = adapter.parse(url, text, body)
        links |= {link.url for link in listing.links}
        queue += [(f.url, f.method, f.body, f.headers) for f in listing.follow]
    return links, adapter


def test_auto_detection_names_each_sample_platform(web1):
    for site in web1.world.sites:
        _, adapter = _walk(web1, site)
        assert adapter.NAME == site.platform, site.site_id


def test_adapters_find_every_report_posting(web1, rows1):
    for site in web1.world.sites:
        links, _ = _walk(web1, site, adapters.get(site.platform))
        reports = {r["url"] for r in rows1 if r["site_id"] == site.site_id and r["kind"] == "report"}
        assert reports <= links, (site.site_id, reports - links)


def test_list_links_carry_titles_and_dates(web1, rows1):
    site = next(s for s in web1.world.sites if s.platform == "trs")
    url = samples.start_url(site)
    response = web1.respond("GET", url)
    listing = adapters.get("trs").parse(url, decode(response.body).text)
    truth = {r["url"]: r for r in rows1}
    for link in listing.links:
        assert link.title == truth[link.url]["title"] and link.date == truth[link.url]["published"]


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "192.168.0.1", "[::1]", "localhost", "a.localhost", "0.0.0.0"]
)
def test_private_addresses_are_refused(host):
    assert private_reason(host)
    with pytest.raises(PrivateAddressRefused):
        PrivateAddressGuard(allow_private=False).process_request(Request(f"http://{host}/x"))
    assert PrivateAddressGuard(allow_private=True).process_request(Request(f"http://{host}/x")) is None


def test_public_and_unresolvable_names_pass():
    assert private_reason("8.8.8.8") is None
    assert private_reason("www.yichun.gov.test") is None  # resolved by the proxy, not here


def test_a_page_that_cannot_be_read_is_marked_and_not_stored_as_a_page():
    from crawler.items import ArticlePage
    from crawler.pipelines import read_page

    item = ArticlePage(
        url="http://a.test/1",
        requested_url="http://a.test/1",
        site_id="a",
        status=200,
        headers={},
        body=None,
        fetched_at="t",
    )  # a body that is not bytes
    read = read_page(item)
    assert read.failure and read.failure.startswith("ReadPipeline:")
    assert read.record is None and read.url == "http://a.test/1"


@pytest.mark.parametrize(
    "host",
    [
        "100.100.100.200",
        "[2002:7f00:1::]",
        "[::ffff:10.0.0.1]",
        "[64:ff9b::a9fe:a9fe]",
        "[64:ff9b::7f00:1]",
        "[64:ff9b:1::a00:1]",
    ],
)
def test_shared_and_embedded_private_addresses_are_refused(host):
    assert private_reason(host)


def test_an_address_that_embeds_a_public_one_passes():
    assert private_reason("[64:ff9b::808:808]") is None  # 8.8.8.8 through a NAT64 gateway


def test_adapters_survive_hostile_list_pages():
    from crawler.adapters import generic, hanweb, jsapi, trs

    huge = 'createPageHTML(3000000, 0, "index", "html")'
    assert len(trs.parse("http://a.test/c/index.html", huge).follow) <= 2000
    config = '<script>var c = {"api": "/api/x", "pageSize": "abc", "total": [1]};</script>'
    assert jsapi.parse("http://a.test/c/index.html", config).follow == []
    deep = "[" * 5000 + "]" * 5000
    assert jsapi.parse("http://a.test/api", deep).links == []
    nulls = '{"list": [{"title": null, "url": null}, {"title": "甲县2019年年报", "url": "/a.html"}]}'
    assert [link.url for link in jsapi.parse("http://a.test/api", nulls).links] == ["http://a.test/a.html"]
    store = (
        '<datastore><nextgroup><![CDATA[<a href="javascript:void(0)?columnid=1"></a>]]></nextgroup><recordset>'
        '<record><![CDATA[<li><a href="/art/1.html">甲</a></li>]]></record></recordset></datastore>'
    )
    (follow,) = hanweb.parse("http://a.test/col/col1/index.html", store).follow
    assert follow.url.startswith("http://a.test/module/web/jpage/dataproxy.jsp?")
    page = '<a href="http://other.test/nb/2019.html">某县2019年政府信息公开工作年度报告</a><a href="JavaScript:go()">2019年年报</a>'
    assert generic.parse("http://a.test/nb/index.html", page).links == []


def test_registry_reports_unreadable_csv_by_line():
    text = "site_id,name,adcode,level,platform,start_urls\n\na,甲,３６０９０２,county,auto,http://a.test/\nb,乙,,county,auto,http://b.test/,extra\n"
    sites, errors = registry.parse(text, PLATFORMS, "t.csv")
    assert sites == [] and errors[0].startswith("t.csv:3: adcode") and errors[1].startswith("t.csv:4:")


def test_the_contact_url_setting_goes_into_the_user_agent():
    """An operator sets only the contact (``--contact`` / ``-s NIANBAO_CONTACT_URL``); a USER_AGENT
    set as high wins; neither set: the project's default."""
    from scrapy.crawler import Crawler

    from crawler.runner import crawl_settings
    from crawler.settings import USER_AGENT
    from crawler.spiders.reports import ReportsSpider

    def agent(**overrides):
        return Crawler(ReportsSpider, crawl_settings("s.csv", "a.db", overrides=overrides)).settings["USER_AGENT"]

    assert agent() == USER_AGENT and "nianbao" in USER_AGENT and "+https://" in USER_AGENT
    assert agent(NIANBAO_CONTACT_URL="https://example.org/contact").endswith("+https://example.org/contact)")
    assert agent(NIANBAO_CONTACT_URL="https://example.org/contact", USER_AGENT="other/1") == "other/1"


@pytest.mark.parametrize(
    "contact", ["example.org", "https://example.org/a b", "https://example.org/\r\nX: y", "ftp://x"]
)
def test_a_contact_that_is_not_a_url_is_refused_before_crawling(tmp_path, contact):
    from click.testing import CliRunner

    from archive.cli import main

    sites = tmp_path / "sites.csv"
    sites.write_text("site_id,name,adcode,level,platform,start_urls\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["crawl", "--sites", str(sites), "--db", str(tmp_path / "a.db"), "--contact", contact]
    )
    assert result.exit_code == 2 and "--contact" in result.output, result.output
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize(
    "body, kind",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        ("<html><body><p>系统维护中，请稍后访问。</p></body></html>".encode(), "list_empty"),
    ],
)
def test_a_list_page_that_cannot_be_read_leaves_its_site_incomplete(tmp_path, body, kind):
    """Such a page is a crawl error, and no known page of the site may count as having left its list
    tonight (else a column down for maintenance would, night after night, make every report gone)."""
    from scrapy.crawler import Crawler
    from scrapy.http import HtmlResponse, Request

    from crawler.runner import crawl_settings
    from crawler.spiders.reports import ReportsSpider

    sites = tmp_path / "sites.csv"
    sites.write_text(
        "site_id,name,adcode,level,platform,start_urls\ns1,甲县,,county,generic,http://a.test/list.html\n",
        encoding="utf-8",
    )
    spider = ReportsSpider.from_crawler(
        Crawler(ReportsSpider, crawl_settings(sites, tmp_path / "a.db")), sites=str(sites)
    )
    spider.list_pages, spider.list_requested = {"s1": 0}, {"s1": 1}
    request = Request("http://a.test/list.html", meta={"site_id": "s1", "role": "list"})
    out = list(
        spider.parse_listing(
            HtmlResponse(request.url, body=body, request=request, headers={"Content-Type": "text/html; charset=utf-8"})
        )
    )
    assert [(item.kind, item.url) for item in out] == [(kind, "http://a.test/list.html")]
    assert spider.incomplete == {"s1"}
