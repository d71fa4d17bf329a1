"""The targets on real government pages (``../shared/realpages``), read in place, never copied.

Skipped with a message when ``../shared`` is absent; under CI (``CI=true``) they must run.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from pipelines.evaluate import evaluate
from pipelines.page import process

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages"
MANIFEST = SHARED / "manifest.jsonl"
BOILERPLATE = ("网站标识码", "ICP备", "主办单位", "版权所有", "当前位置", "打印本页", "关闭窗口")

if not MANIFEST.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true but the real pages are missing: {MANIFEST}")
    pytest.skip(
        f"../shared/realpages is not beside the checkout ({MANIFEST}): real-page targets not checked",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def scores():
    return evaluate(MANIFEST)[0]


def test_no_report_missed_and_no_non_report_accepted(scores):
    assert scores["classification"].misses == []


@pytest.mark.parametrize("field", ["title", "report_year", "published"])
def test_exact_fields_are_all_right(scores, field):
    assert scores[field].total > 0 and scores[field].misses == []


@pytest.mark.parametrize("field", ["agency", "adcode"])
def test_agency_and_adcode_reach_95_percent(scores, field):
    assert scores[field].accuracy >= 0.95, scores[field].misses


def _reports():
    return [
        json.loads(line)
        for line in MANIFEST.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["kind"] == "report"
    ]


def _saved_body(page_txt: Path) -> str:
    """The body the saving archiver extracted (after its 正文 line), without white space.

    That archiver kept some of the page's own header chrome before a ``-->`` marker, and a
    trailing 附件下载; those are the page's boilerplate, not the report, so they are cut.
    """
    body = re.split(r"=+ 正文 =+\n", page_txt.read_text(encoding="utf-8"), maxsplit=1)[1]
    head = body[:600]
    if "当前位置" in head and "-->" in head:
        body = body[head.rindex("-->") + 3 :]
    body = re.sub(r"\s+", "", body)
    return re.sub(r"附件下载$", "", body)


@pytest.mark.parametrize("row", _reports(), ids=lambda r: r["path"].split("/")[-2])
def test_body_keeps_every_run_of_the_report_and_no_boilerplate(row):
    page = SHARED / row["path"]
    text = process(page.read_bytes(), row["url"]).text
    ours = re.sub(r"\s+|\|", "", text)  # our table cells are joined by ' | '
    saved = _saved_body(page.parent / "page.txt")
    missing = [saved[i : i + 20] for i in range(0, max(1, len(saved) - 19)) if saved[i : i + 20] not in ours]
    assert not missing, f"{len(missing)} runs missing, first: {missing[0]}"
    assert [b for b in BOILERPLATE if b in text] == []


# -- the platform adapters on real list pages (../shared/realpages/misc) --------------------------

MISC = SHARED / "misc"


def _listing(name: str, url: str):
    from crawler import adapters

    text = (MISC / name).read_text(encoding="utf-8")
    adapter = adapters.detect(url, text)
    return adapter.NAME, adapter.parse(url, text)


def test_trs_adapter_on_real_column_pages():
    name, listing = _listing("04-trs-list.html", "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/index.html")
    assert name == "trs" and len(listing.links) == 25  # the 25 items of the list, no navigation
    assert [f.url.rsplit("/", 1)[1] for f in listing.follow] == [f"index_{i}.html" for i in range(1, 120)]
    assert all(link.date and link.url.startswith("http://www.yzq.gov.cn/zwgk/zwdt/zwyw/2017") for link in listing.links)
    name, listing = _listing("05-trs-list.html", "http://www.zhangshu.gov.cn/zwgk/zhxx/index.html")
    assert name == "trs" and len(listing.links) == 24 and len(listing.follow) == 20  # marquee links left out
    assert all(link.date is None for link in listing.links)  # MM-DD only: no year is invented


def test_hanweb_adapter_on_a_real_datastore():
    name, listing = _listing("06-hanweb-datastore.html", "http://zwgk.dingxi.gov.cn/col/col12377/index.html")
    assert name == "hanweb" and len(listing.links) == 45
    (follow,) = listing.follow
    assert follow.method == "POST" and "startrecord=46&endrecord=90" in follow.url
    assert b"columnid=12377" in follow.body and b"unitid=38486" in follow.body and b"webid=110" in follow.body


def test_discovery_on_real_pages():
    from crawler import discover

    report = next((SHARED / "pingtan" / "reports").iterdir()) / "page.html"
    found = discover.candidates(
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202203/t.htm", report.read_text(encoding="utf-8")
    )
    assert found[0].url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/" and found[0].kind == "column"
    assert "https://www.pingtan.gov.cn/zwgk/zfxxgk/" in [c.url for c in found if c.kind == "section"]
    column = (SHARED / "pingtan" / "_lists" / "index.html").read_text(encoding="utf-8")
    assert "trs" in discover.fingerprint(column)  # the Fujian platform's list2.trsapi script
    assert discover.looks_like_column("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/", column)
    assert not discover.looks_like_column(
        "http://www.yzq.gov.cn/", (MISC / "04-trs-list.html").read_text(encoding="utf-8")
    )
    assert discover.fingerprint((MISC / "04-trs-list.html").read_text(encoding="utf-8"))[0] == "trs"
    assert discover.fingerprint((MISC / "06-hanweb-datastore.html").read_text(encoding="utf-8")) == ["hanweb"]
    assert "easysite" in discover.fingerprint((MISC / "01-pbc-list.html").read_text(encoding="utf-8"))


def test_jsapi_adapter_on_the_real_easysite_column_of_the_pbc():
    url = "https://www.pbc.gov.cn/zhengwugongkai/4081330/4081344/4081407/4081705/index.html"
    name, listing = _listing("01-pbc-list.html", url)
    # By hand from the page: 20 items in ul.txtlist, 共:60条, 当前页 1/3, no next-page href.
    assert name == "jsapi" and len(listing.links) == 20
    assert listing.links[0].title == "银罚决字〔2026〕104-116号" and listing.links[0].date == "2026-09-24"
    assert listing.links[-1].url == url.replace("index.html", "5798574/index.html")
    assert all(link.url.startswith(url.rsplit("/", 1)[0] + "/") for link in listing.links)  # no navigation links
    assert [f.url.rsplit("/", 1)[1] for f in listing.follow] == ["d80f41dc-2.html", "d80f41dc-3.html"]
    from crawler import adapters

    later = (MISC / "01-pbc-list.html").read_text(encoding="utf-8").replace("'3','1','", "'3','2','")
    assert adapters.get("jsapi").parse(url.replace("index.html", "d80f41dc-2.html"), later).follow == []
