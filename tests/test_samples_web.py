"""Every sample URL answers as the manifest says, with the HTTP a real government server sends."""

from __future__ import annotations

import gzip
import html
import json
import re
from urllib.parse import urljoin

import pytest

from crawler import samples
from crawler.samples import tables

HREF = re.compile(r'href=\\?"([^"\\]+)\\?"')


def test_every_manifest_url_answers_its_status(web1, rows1):
    for row in rows1:
        response = web1.respond("GET", row["url"])
        assert response.status == row["status"], row["url"]
        if row["status"] == 301:
            assert response.header("Location") == row["location"]


def _text(web, url):
    response = web.respond("GET", url)
    site = next(s for s in web.world.sites if url.startswith(s.base + "/"))
    return response.body.decode(site.encoding)


def test_article_pages_carry_the_truth_and_the_boilerplate(web1, rows1):
    for row in [r for r in rows1 if r["kind"] in ("report", "other")]:
        page = _text(web1, row["url"])
        title = html.escape(row["title"])
        assert f'<meta name="ArticleTitle" content="{title}">' in page
        assert f'<meta name="PubDate" content="{row["published"]}' in page
        assert f"<title>{title}_" in page
        assert html.escape(row["source"]) in page
        for marker in ("当前位置", "网站标识码", "主办单位", "打印本页", "关闭窗口", "热点推荐", "ICP备"):
            assert marker in page, (marker, row["url"])


def test_table_cells_are_on_the_page(web1, rows1):
    row = next(r for r in rows1 if r["kind"] == "report" and r["template"] == "2021")
    page = _text(web1, row["url"])
    assert page.count("<table") >= 3
    for label in ("申请人情况", "本年新收政府信息公开申请数量", "结转下年度继续办理", "复议后起诉"):
        assert label in page
    assert 'rowspan="' in page and 'colspan="' in page


def test_gbk_site_bytes_are_gbk_and_its_charset_lies(web1, rows1):
    site = next(s for s in web1.world.sites if s.encoding == "gbk")
    row = next(r for r in rows1 if r["site_id"] == site.site_id and r["kind"] == "report")
    response = web1.respond("GET", row["url"])
    assert response.header("Content-Type") == "text/html"
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")
    page = response.body.decode("gbk")
    assert '<meta charset="utf-8">' in page and row["title"] in html.unescape(page)


def _links(web, row) -> set[str]:
    body = web.respond("GET", row["url"]).body.decode("utf-8", "replace")
    if row["kind"] == "api" and body.lstrip().startswith("{"):
        data = json.loads(body)
        entries = data["articles"] if "articles" in data else data["data"]["list"]  # gkmlpt, else the jsapi style
        return {urljoin(row["url"], x["url"]) for x in entries}
    return {urljoin(row["url"], h) for h in HREF.findall(body)}


def test_list_pages_and_endpoints_reach_every_posting(web1, rows1):
    for site in web1.world.sites:
        listed = set()
        for row in rows1:
            if row["site_id"] == site.site_id and row["kind"] in ("list", "api"):
                listed |= _links(web1, row)
        postings = {
            r["url"] for r in rows1 if r["site_id"] == site.site_id and r["kind"] in ("report", "other", "missing")
        }
        assert postings <= listed, (site.site_id, postings - listed)


def test_trs_pagination_is_announced_by_createpagehtml(web1):
    site = next(s for s in web1.world.sites if s.platform == "trs")
    first = _text(web1, samples.start_url(site))
    total = int(re.search(r'createPageHTML\((\d+), 0, "index", "(\w+)"\)', first).group(1))
    assert total >= 2
    last = _text(web1, f"{site.base}{site.column}index_{total - 1}.{site.ext}")
    assert f'createPageHTML({total}, {total - 1}, "index"' in last


def test_hanweb_column_carries_a_datastore_and_a_dataproxy_link(web1):
    site = next(s for s in web1.world.sites if s.platform == "hanweb")
    page = _text(web1, samples.start_url(site))
    assert "<datastore>" in page and "<record><![CDATA[" in page
    link = re.search(r'<nextgroup><!\[CDATA\[<a href="([^"]+)"', page).group(1)
    assert link.startswith("/module/web/jpage/dataproxy.jsp?") and f"columnid={site.column}" in link
    # jpage posts the nextgroup parameters with startrecord/endrecord/perpage.
    postings = web1.world.postings[site.site_id]
    form = link.split("?", 1)[1].encode()
    response = web1.respond(
        "POST",
        f"{site.base}/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=100&perpage=15",
        {"Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    xml = response.body.decode()
    assert f"<totalrecord>{len(postings)}</totalrecord>" in xml
    assert xml.count("<record>") == len(postings)
    wrong = web1.respond("GET", f"{site.base}/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=9&columnid=1")
    assert "<totalrecord>0</totalrecord>" in wrong.body.decode()


def test_jsapi_later_pages_come_only_from_the_json_endpoint(web1, rows1):
    site = next(s for s in web1.world.sites if s.platform == "jsapi")
    page = _text(web1, samples.start_url(site))
    config = json.loads(re.search(r"var columnConfig = (\{.*?\});", page).group(1))
    assert config["total"] > config["pageSize"]
    assert "pageNo=2" not in page and "index_1" not in page
    api = f"{site.base}{config['api']}?channelId={config['channelId']}&pageNo=2&pageSize={config['pageSize']}"
    response = web1.respond("GET", api)
    assert response.header("Content-Type").startswith("application/json")
    data = json.loads(response.body)["data"]
    assert data["pageNo"] == 2 and data["list"]
    unknown = json.loads(web1.respond("GET", f"{site.base}{config['api']}?channelId=nope").body)
    assert unknown["code"] == 404 and unknown["data"] is None


def test_conditional_requests_and_gzip(web1, rows1):
    url = next(r["url"] for r in rows1 if r["kind"] == "report")
    first = web1.respond("GET", url)
    assert first.header("ETag") and first.header("Last-Modified")
    assert web1.respond("GET", url, {"If-None-Match": first.header("ETag")}).status == 304
    assert web1.respond("GET", url, {"If-Modified-Since": first.header("Last-Modified")}).status == 304
    assert web1.respond("GET", url, {"If-None-Match": '"other"'}).status == 200
    zipped = web1.respond("GET", url, {"Accept-Encoding": "gzip, deflate"})
    assert zipped.header("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped.body) == first.body
    head = web1.respond("HEAD", url)
    assert head.body == b"" and head.header("Content-Length") == str(len(first.body))


def test_robots_home_redirect_and_unknown_host(web1):
    site = web1.world.sites[0]
    robots = web1.respond("GET", site.base + "/robots.txt")
    assert robots.status == 200 and b"User-agent: *" in robots.body
    column = samples.start_url(site).split(site.host)[1].encode()
    home = web1.respond("GET", site.base + "/").body
    assert column not in home and 'href="/zwgk/">政府信息公开<'.encode() in home
    assert column in web1.respond("GET", site.base + "/zwgk/").body  # home -> 政府信息公开 -> report column
    assert web1.respond("GET", site.base + "/no/such/page.html").status == 404
    assert web1.respond("GET", "http://www.example.test/").status == 502


def test_day_two_deleted_report_is_404_and_edited_page_changed(web1, web2, rows1, rows2):
    gone = next(r for r in rows2 if r["kind"] == "gone")
    assert web1.respond("GET", gone["url"]).status == 200
    assert web2.respond("GET", gone["url"]).status == 404
    edited = next(r for r in rows2 if r["kind"] == "report" and r["version"] == 2)
    before, after = web1.respond("GET", edited["url"]), web2.respond("GET", edited["url"])
    assert before.header("ETag") != after.header("ETag")
    assert web2.respond("GET", edited["url"], {"If-None-Match": before.header("ETag")}).status == 200


def test_written_site_files_match_the_web(tmp_path, web1, rows1):
    n = samples.write_site_files(web1, tmp_path)
    assert n == len(rows1)
    row = next(r for r in rows1 if r["kind"] == "report")
    host_path = row["url"].split("://", 1)[1]
    assert (tmp_path / host_path).read_bytes() == web1.respond("GET", row["url"]).body
    assert (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").count("\n") == len(rows1)
    assert (
        (tmp_path / "sites.csv").read_text(encoding="utf-8").startswith("site_id,name,adcode,level,platform,start_urls")
    )


def test_table_renderer_rejects_unknown_tables():
    with pytest.raises(ValueError):
        tables.render_table("五", "2021", [])
