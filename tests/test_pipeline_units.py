"""The page pipeline's pure functions, each on small inputs written for the case."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import classify, dates, dedupe, encoding, extract, metadata, regions

# -- encoding -------------------------------------------------------------------------------


def test_gbk_behind_a_lying_meta_and_no_header_charset():
    html = '<html><head><meta charset="utf-8"><title>樟树市2018年政府信息公开工作年度报告</title></head></html>'
    d = encoding.decode(html.encode("gbk"), "text/html")
    assert d.encoding == "gb18030" and "樟树市" in d.text and d.mismatch and not d.mojibake


def test_gb2312_declared_but_gbk_characters_are_read_as_gb18030():
    text = '<meta charset="gb2312"><p>镕基 喆 〔2019〕60号</p>'  # 镕 and 喆 are outside GB 2312
    d = encoding.decode(text.encode("gbk"), "text/html; charset=gb2312")
    assert d.encoding == "gb18030" and "镕基 喆" in d.text


def test_utf8_declared_as_latin1_by_the_server():
    d = encoding.decode("<p>政府信息公开</p>".encode(), "text/html; charset=ISO-8859-1")
    assert d.text == "<p>政府信息公开</p>" and d.encoding == "utf-8"


def test_bom_wins_and_is_dropped():
    d = encoding.decode("\ufeff<p>年报</p>".encode("utf-8"), "text/html; charset=gbk")
    assert d.text == "<p>年报</p>"


def test_mojibake_is_detected():
    garbled = "政府信息公开工作年度报告".encode().decode("latin-1") * 5
    assert encoding.is_mojibake(garbled)
    assert not encoding.is_mojibake("政府信息公开工作年度报告")


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("发布时间：2019-01-14 10:31", dt.date(2019, 1, 14)),
        ("2019年1月9日", dt.date(2019, 1, 9)),
        ("2020/03/31", dt.date(2020, 3, 31)),
        ("二〇一九年一月三日", dt.date(2019, 1, 3)),
        ("二〇二一年十二月三十一日", dt.date(2021, 12, 31)),
        ("2019年2月30日", None),
        ("20186月", None),
        ("日期：", None),
        (None, None),
    ],
)
def test_dates(text, expected):
    assert dates.parse_date(text) == expected


# -- classification ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "宜春市2019年政府信息公开工作年度报告",
        "咸宁市生态环境局2021年政府信息公开工作年度报告",
        "东瓜镇2021年政府信息公开工作年度报告",
        "樟树市2014年政府信息公开年度报告",
        "2018年宜春市人民政府政府信息公开工作年度报告",
        "平潭综合实验区2016年度政府信息公开工作年度报告",
        "袁州区人民政府2010年度政府信息公开工作报告",
    ],
)
def test_reports_are_accepted_with_a_reason(title):
    decision = classify.classify(title, "正文")
    assert decision.is_report and title in decision.reason


@pytest.mark.parametrize(
    "title,word",
    [
        ("宜春市2020年政务公开工作要点", "工作要点"),
        ("袁州区人民政府办公室关于2018年政务公开工作落实情况的函", "落实情况"),
        ("樟树市2017年政务公开工作总结", "工作总结"),
        ("关于2022年政务公开工作考核情况的通报", "考核通报"),
        ("定西市2019年国民经济和社会发展统计公报", "统计公报"),
        ("2021年定西市人民政府工作报告", "政府工作报告"),
        ("咸宁市生态环境局政府信息公开指南", "指南"),
        ("关于做好2019年政府信息公开工作年度报告编制工作的通知", "notice"),
    ],
)
def test_look_alikes_are_rejected_with_a_reason(title, word):
    decision = classify.classify(title, "正文")
    assert not decision.is_report and word in decision.reason


def test_untitled_page_is_judged_by_its_sections():
    body = "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况"
    assert classify.classify(None, body).is_report
    assert not classify.classify(None, "短").is_report


def test_list_page_is_rejected():
    decision = classify.classify("政府信息公开年报", "年报", link_count=20)
    assert not decision.is_report


# -- metadata -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title,agency",
    [
        ("宜春市2019年政府信息公开工作年度报告", "宜春市人民政府"),
        ("宜春市人民政府2019年政府信息公开工作年度报告", "宜春市人民政府"),
        ("2019年宜春市人民政府政府信息公开工作年度报告", "宜春市人民政府"),
        ("咸宁市生态环境局2019年政府信息公开工作年度报告", "咸宁市生态环境局"),
        ("东瓜镇2021年度政府信息公开工作年度报告", "东瓜镇人民政府"),
        ("无年份的标题", None),
    ],
)
def test_agency_from_title(title, agency):
    assert metadata.agency_from_title(title) == agency


def test_report_year_from_title_then_period_never_publication():
    assert metadata.report_year("某县2017年度政府信息公开工作年度报告", "") == 2017
    text = "本报告所列数据统计期限自2018年1月1日起至2018年12月31日止。"
    assert metadata.report_year("某县政府信息公开工作年度报告", text) == 2018
    assert metadata.report_year("某县政府信息公开工作年度报告", "发布于2019年1月3日") is None


def test_title_comes_without_site_suffix():
    ex = extract.Extracted(text="", container=None, html_title="某县2019年政府信息公开工作年度报告_年报_某县人民政府")
    assert metadata.clean_title(ex) == "某县2019年政府信息公开工作年度报告"


def test_published_date_prefers_the_page_over_the_sidebar():
    ex = extract.Extracted(
        text="", container=None, header_text="热点 2025-03-12\n发布时间：2019-01-14 来源：某县人民政府办公室"
    )
    assert metadata.published_date(ex) == dt.date(2019, 1, 14)
    assert metadata.source(ex) == "某县人民政府办公室"


def test_regions_use_the_site_to_settle_ambiguous_names():
    assert regions.resolve("鼓楼区人民政府", "350100").adcode == "350102"
    assert regions.resolve("鼓楼区人民政府", "320100").adcode == "320106"
    assert regions.resolve("宜春市袁州区人民政府").adcode == "360902"
    assert regions.resolve("没有地名") is None


# -- extraction -----------------------------------------------------------------------------


def test_container_text_keeps_tables_as_rows_and_drops_boilerplate():
    html = """<html><body><div class="nav">首页 当前位置：首页</div>
    <div class="TRS_Editor"><p>一、总体情况</p><table><tr><td>一、本年新收</td><td>3</td><td>5</td></tr></table>
    <script>var x = 1;</script><p>某县人民政府</p></div><div class="footer">网站标识码：123 ICP备</div></body></html>"""
    ex = extract.extract(html)
    assert ex.container == ".TRS_Editor"
    assert ex.text.splitlines() == ["一、总体情况", "一、本年新收 | 3 | 5", "某县人民政府"]
    assert "当前位置" in ex.header_text


def test_extract_of_nothing_is_empty():
    assert extract.extract("").text == ""


# -- dedupe ---------------------------------------------------------------------------------


def test_canonical_url_and_layout_blind_hash():
    assert dedupe.canonical_url("http://A.test/x?b=2&a=1#top") == dedupe.canonical_url("http://a.test/x?a=1&b=2")
    assert dedupe.content_hash("一、总体情况\n  全年 １２ 件") == dedupe.content_hash("一、总体情况全年12件")
    assert dedupe.content_hash("全年12件") != dedupe.content_hash("全年13件")


# -- what the extraction issue added ------------------------------------------------------------


def test_zones_are_run_by_a_management_committee():
    assert metadata.agency_from_title("平潭综合实验区2019年度政府信息公开工作年度报告") == "平潭综合实验区管委会"


def test_short_place_names_resolve_when_no_full_name_is_written():
    assert regions.resolve("平潭综合实验区管委会").adcode == "350128"
    assert regions.resolve("宜春市人民政府").adcode == "360900"  # full names still win


def test_attachments_are_listed_with_their_link_text():
    html = (
        '<html><body><div id="zoom"><p>某县2019年政府信息公开工作年度报告全文见附件。</p>'
        '<a href="/files/nb2019.pdf">年报全文.pdf</a></div><a href="x.DOCX" title="统计表">下载</a>'
        '<a href="/list.html">列表</a><a href="/down.jsp?id=7">2018年报.wps</a>'
        '<a href="mailto:a@b.test">信箱.pdf</a></body></html>'
    )
    ex = extract.extract(html, "http://a.test/art/1.html")
    assert ex.attachments == [
        {"url": "http://a.test/files/nb2019.pdf", "text": "年报全文.pdf"},
        {"url": "http://a.test/art/x.DOCX", "text": "下载"},
        {"url": "http://a.test/down.jsp?id=7", "text": "2018年报.wps"},
        {"url": "mailto:a@b.test", "text": "信箱.pdf"},
    ]
    # What the spider downloads: documents over HTTP, found by path or by the link's file name.
    assert extract.file_links(html, "http://a.test/art/1.html") == [
        "http://a.test/files/nb2019.pdf",
        "http://a.test/art/x.DOCX",
        "http://a.test/down.jsp?id=7",
    ]


def test_double_encoded_page_is_recorded_as_mojibake_not_archived():
    from pipelines.page import process

    text = (
        "<html><head><title>某县2019年政府信息公开工作年度报告</title></head><body><div id='zoom'><p>"
        + "本报告依据政府信息公开条例编制，数据统计期限为全年。" * 10
        + "</p></div></body></html>"
    )
    garbled = text.encode("utf-8").decode("latin-1").encode("utf-8")
    record = process(garbled, "http://a.test/1.html")
    assert record.encoding_problem == "mojibake" and not record.is_report
    assert "could not be decoded" in record.reject_reason


# -- found in review ------------------------------------------------------------------------


def test_xhtml_pages_with_an_xml_declaration_are_read():
    html = (
        '<?xml version="1.0" encoding="utf-8"?><html><body><div id="zoom"><p>'
        + "某县2019年政府信息公开工作年度报告正文。" * 5
        + "</p></div></body></html>"
    )
    assert "正文" in extract.extract(html).text


def test_short_names_need_a_zone_after_them():
    assert regions.resolve("市公安局", "360902") is None
    assert regions.resolve("新华社记者") is None


def test_dateparser_fallback_does_not_invent_years():
    assert dates.parse_date("10:30 2019年") is None


def test_attachment_only_pages_keep_their_own_identity():
    from pipelines.page import identity_hash

    a = identity_hash("甲县2019年政府信息公开工作年度报告", "附件：点击下载", [{"url": "http://a.test/1.pdf"}])
    b = identity_hash("乙县2020年政府信息公开工作年度报告", "附件：点击下载", [{"url": "http://b.test/2.pdf"}])
    assert a != b
    long_text = "本报告依据条例编制。" * 30
    assert identity_hash("x", long_text, []) == identity_hash("y", long_text, [])


def test_page_faults_name_what_was_wrong_with_a_stored_page():
    from types import SimpleNamespace

    from pipelines.page import NO_TEXT, page_faults

    fine = SimpleNamespace(encoding_problem=None, reject_reason=None)
    whole = "<html><body><p>正文</p></body></html>".encode()
    assert page_faults(whole, fine) == []
    assert page_faults(b"<HTML><BODY><p>\xe6\xad\xa3\xe6\x96\x87</p></BODY>\n</HTML >\n<!-- cms -->", fine) == []
    assert [k for k, _ in page_faults(whole[: whole.index(b"</p>")], fine)] == ["truncated_html"]
    assert page_faults(b"plain text, no markup", fine) == []  # nothing opened, nothing to close
    assert [k for k, _ in page_faults(whole, SimpleNamespace(encoding_problem="mojibake", reject_reason=None))] == [
        "mojibake"
    ]
    assert [k for k, _ in page_faults(whole, SimpleNamespace(encoding_problem=None, reject_reason=NO_TEXT))] == [
        "no_text"
    ]


# -- pages the HTML parser would cut -----------------------------------------------------------


def _word_export(tags: str, paragraphs: int = 400, container: str = "TRS_Editor") -> bytes:
    body = "".join(f"{tags}第{i}段：本机关依法主动公开政府信息。" for i in range(paragraphs))
    return (
        '<html><head><meta charset="utf-8"><title>某县2023年政府信息公开工作年度报告</title></head><body>'
        f'<div class="{container}">{body}</div></body></html>'
    ).encode()


@pytest.mark.parametrize("tags", ['<p><font face="宋体">', '<p><span style="font-size:16px">'])
@pytest.mark.parametrize("container", ["TRS_Editor", "no-known-container"])
def test_paragraphs_left_open_by_word_keep_all_their_text(tags, container):
    """libxml2 nested each paragraph in the last one's open <font>/<span> and stopped at depth 256:
    126 of 400 paragraphs were kept, and the page stored as a report with no fault."""
    from pipelines.page import page_faults, process

    body = _word_export(tags, container=container)
    record = process(body, "http://a.test/nb/1.html", "text/html; charset=utf-8")
    assert all(f"第{i}段：本机关依法主动公开政府信息。" in record.text for i in range(400))
    assert record.lost is None and page_faults(body, record) == []
    if container == "TRS_Editor":  # one line a paragraph, as an ordinary page
        assert record.text.splitlines() == [f"第{i}段：本机关依法主动公开政府信息。" for i in range(400)]


def test_a_page_the_parser_still_cuts_records_what_was_lost():
    """Open <div>s nest whatever is removed: what was read is kept and the cut is a fault."""
    from pipelines.page import page_faults, process

    body = _word_export("<div>")
    record = process(body, "http://a.test/nb/1.html", "text/html; charset=utf-8")
    assert "第0段" in record.text and "第399段" not in record.text
    assert [kind for kind, _ in page_faults(body, record)] == ["truncated_text"]
    assert "deeper than 255" in record.lost


def test_a_text_node_over_libxml2s_10_mb_is_read_whole():
    """Without huge_tree libxml2 drops the whole page at a 10 MB text node (an inline base64 image)."""
    image = "data:image/png;base64," + "A" * 11_000_000
    html = f'<html><body><div class="TRS_Editor"><p>年度报告正文开始。</p><img src="{image}"><p>正文结束。</p></div></body></html>'
    ex = extract.extract(html, "http://a.test/1.html")
    assert ex.text == "年度报告正文开始。\n正文结束。" and ex.lost is None
