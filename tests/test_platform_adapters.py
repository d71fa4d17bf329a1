"""The gkmlpt and UCAP adapters on the sample web and on hostile input (no real page of either is saved)."""

from __future__ import annotations

import json

from crawler import adapters, samples
from crawler.adapters import gkmlpt, ucap


def _site(web, platform):
    return next(s for s in web.world.sites if s.platform == platform)


def test_gkmlpt_shell_asks_the_api_and_the_first_answer_announces_every_page(web1, rows1):
    site = _site(web1, "gkmlpt")
    start = samples.start_url(site)
    shell = web1.respond("GET", start).body.decode()
    (first,) = gkmlpt.parse(start, shell).follow
    apis = [r["url"] for r in rows1 if r["site_id"] == site.site_id and r["kind"] == "api"]
    assert first.url == apis[0]
    answer = gkmlpt.parse(first.url, web1.respond("GET", first.url).body.decode())
    assert [f.url for f in answer.follow] == apis[1:]
    truth = {r["url"]: r for r in rows1}
    for link in answer.links:
        assert link.title == truth[link.url]["title"] and link.date == truth[link.url]["published"]
    assert gkmlpt.parse(start.split("#")[0], shell).follow == []  # no category: nothing to ask, no guess


def test_gkmlpt_reads_other_date_fields_and_survives_bad_answers():
    url = "http://a.test/gkmlpt/api/all/7?page=1&sid=3"
    data = {
        "articles": [
            {"title": "甲", "url": "/gkmlpt/content/1/1/post_1.html#7", "publish_time": "2021-3-5 10:00:00"},
            {"title": "乙", "url": "http://a.test/b.html", "date": 1614902400000},
            {"title": "", "url": "/c.html"},
            {"title": "丁"},
            "x",
            {"title": ["x"], "url": 3},
        ],
        "total": 30,
    }
    listing = gkmlpt.parse(url, json.dumps(data))
    assert [(link.url, link.date) for link in listing.links] == [
        ("http://a.test/gkmlpt/content/1/1/post_1.html", "2021-03-05"),
        ("http://a.test/b.html", "2021-03-05"),
    ]
    assert len(listing.follow) == 4 and listing.follow[-1].url.endswith("page=5&sid=3")  # 30 / 6 per page
    for bad in ("", "{", "[]", '{"articles": 5}', '{"articles": [], "total": 1e99}', '{"total": true}'):
        assert gkmlpt.parse(url, bad).links == []
    assert gkmlpt.parse(url, json.dumps({"articles": [{"title": "甲", "url": "/a"}], "total": 10**12})).follow == []
    assert (
        gkmlpt.parse("http://a.test/gkmlpt/index?cat=9", "<script>var sid = '12';</script>").follow[0].url
        == "http://a.test/gkmlpt/api/all/9?page=1&sid=12"
    )


def test_ucap_pages_come_from_the_six_argument_pager_and_only_page_one_announces_them():
    page = (
        "<script>function createPageHTML(id, a, b, c, d, e) {}</script>"
        '<ul><li><a href="./2021-03/05/content_11.htm">某市2020年政府信息公开工作年度报告</a><span>2021-03-05</span></li>'
        '<li><a href="/other/content_12.htm">导航</a></li></ul>'
        "<script>createPageHTML('page_div', 4, 1, 'index', 'htm', 40);</script>"
    )
    listing = ucap.parse("http://a.test/nb/index.htm", page)
    assert [link.url for link in listing.links] == ["http://a.test/nb/2021-03/05/content_11.htm"]
    assert [f.url for f in listing.follow] == [f"http://a.test/nb/index_{i}.htm" for i in (1, 2, 3)]
    assert ucap.parse("http://a.test/nb/index_2.htm", page).follow == []
    assert adapters.detect("http://a.test/nb/index.htm", page) is ucap
    trs_page = '<script>createPageHTML(4, 0, "index", "html");</script>'
    assert adapters.detect("http://a.test/nb/index.html", trs_page).NAME == "trs"
    huge = page.replace("'page_div', 4,", "'page_div', 999999999,")
    assert len(ucap.parse("http://a.test/nb/index.htm", huge).follow) == 2000
