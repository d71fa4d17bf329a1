"""The default sample web, as data: twelve sites in the styles of the real CMS families.

Each entry says who runs the site, its platform, where its report column is, which report
years it publishes and which look-alike pages stand in the same column. The mix is chosen to
exercise what the real web does: a prefecture-level city, counties, a department, a
township's report on its county's site, a county report republished by its city, a report
posted twice on one site, a GBK site whose header names no charset and whose meta lies, a
column that moved (301), a dead link, 来源 fields that name an uploader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import regions as R
from .model import Body
from .regions import Region


@dataclass(frozen=True)
class SitePlan:
    site_id: str
    host: str
    name: str
    body: Body
    platform: str
    column: str
    reports: tuple[int, ...]
    others: tuple[tuple[str, int], ...]
    extra_reports: tuple[tuple[Body, int], ...] = ()  # reports of other bodies this site publishes
    republish: tuple[str, ...] = ()  # doc ids of other sites' reports this site posts again
    duplicate: tuple[str, ...] = ()  # own doc ids posted at a second URL as well
    dead_links: int = 0
    variants: tuple[tuple[int, str], ...] = ()  # (report year, docx | pdf | scan | error-received | error-carried)
    options: dict = field(default_factory=dict)  # further SiteSpec fields


@dataclass(frozen=True)
class Day2Plan:
    """What changes between day 1 and day 2 (applied by ``build.build_world``)."""

    edit: str  # doc id whose text is corrected
    delete: str  # doc id whose posting is taken down (404) and leaves its list
    new: tuple[str, int, Body | None]  # (site id, year, body or None for the site's own) of a new report
    republish: tuple[str, str]  # (doc id, site id) posted again on another site


def gov(key: str, region: Region, agency: str | None = None) -> Body:
    """The people's government of a region."""
    agency = agency or f"{region.name}人民政府"
    return Body(key, agency, region.name, f"{agency}办公室", region.level, region)


def department(key: str, region: Region, name: str) -> Body:
    agency = f"{region.name}{name}"
    return Body(key, agency, region.name, f"{agency}办公室", "department", region)


DONGGUA = Body(
    "donggua",
    "东瓜镇人民政府",
    "东瓜镇",
    "东瓜镇党政综合办公室",
    "township",
    R.Region("东瓜镇", "532301", "township", "云南省", city="楚雄彝族自治州", county="楚雄市"),
)

SITES: tuple[SitePlan, ...] = (
    SitePlan(
        "yichun",
        "www.yichun.gov.test",
        "宜春市人民政府门户网站（示例）",
        gov("yichun", R.YICHUN),
        "trs",
        "/zwgk/zfxxgknb/",
        (2008, 2012, 2016, 2019, 2021, 2023),
        (("工作要点", 2020), ("统计公报", 2019), ("政府工作报告", 2021)),
        republish=("yuanzhou-2019",),
        variants=((2021, "docx"),),
        options={"uploader": "宜春市政务公开办", "site_code": "3609000001"},
    ),
    SitePlan(
        "yuanzhou",
        "www.yzq.gov.test",
        "宜春市袁州区人民政府（示例）",
        gov("yuanzhou", R.YUANZHOU),
        "trs",
        "/xxgk/ndbg/",
        (2010, 2017, 2019, 2020, 2022, 2024),
        (("落实情况的函", 2018), ("工作总结", 2017)),
        options={"ext": "htm", "page_size": 4, "site_code": "3609020001"},
    ),
    SitePlan(
        "zhangshu",
        "www.zhangshu.gov.test",
        "樟树市人民政府（示例）",
        gov("zhangshu", R.ZHANGSHU),
        "generic",
        "/zwgk/nb/",
        (2009, 2014, 2018, 2020, 2021),
        (("工作总结", 2019), ("信息公开指南", 2020), ("考核通报", 2021)),
        dead_links=1,
        options={"encoding": "gbk", "header_charset": None, "meta_charset": "utf-8", "site_code": "3609820001"},
    ),
    SitePlan(
        "dingxi",
        "www.dingxi.gov.test",
        "定西市人民政府信息公开平台（示例）",
        gov("dingxi", R.DINGXI),
        "hanweb",
        "12377",
        (2011, 2015, 2019, 2021, 2022, 2023),
        (("统计公报", 2020), ("工作要点", 2022), ("政府工作报告", 2019)),
        variants=((2019, "pdf"),),
        options={"page_size": 2, "site_code": "6211000001"},
    ),
    SitePlan(
        "anding",
        "www.anding.gov.test",
        "定西市安定区人民政府（示例）",
        gov("anding", R.ANDING),
        "hanweb",
        "8841",
        (2013, 2018, 2020, 2022),
        (("考核通报", 2022), ("信息公开指南", 2019), ("工作要点", 2021)),
        variants=((2020, "error-received"),),
        options={"page_size": 2, "uploader": "安定区融媒体中心", "site_code": "6211020001"},
    ),
    SitePlan(
        "xnsthj",
        "sthjj.xianning.gov.test",
        "咸宁市生态环境局（示例）",
        department("xnsthj", R.XIANNING, "生态环境局"),
        "jsapi",
        "/xxgk/gknb/",
        (2016, 2019, 2021, 2023, 2024),
        (("工作要点", 2021), ("信息公开指南", 2022), ("工作总结", 2023)),
        variants=((2024, "error-carried"),),
        options={"page_size": 3, "site_code": "4212000012"},
    ),
    SitePlan(
        "haicang",
        "www.haicang.gov.test",
        "厦门市海沧区人民政府（示例）",
        gov("haicang", R.HAICANG),
        "jsapi",
        "/xxgk/zfxxgkndbg/",
        (2012, 2017, 2019, 2021, 2022),
        (("落实情况的函", 2016), ("统计公报", 2021)),
        variants=((2017, "scan"),),
        options={"page_size": 3, "site_code": "3502050001"},
    ),
    SitePlan(
        "jinghe",
        "www.jinghe.gov.test",
        "精河县人民政府（示例）",
        gov("jinghe", R.JINGHE),
        "generic",
        "/zfxxgk/ndbg/",
        (2014, 2018, 2020, 2023),
        (("考核通报", 2022), ("政府工作报告", 2023)),
        options={"moved_from": "/xxgk/nb/", "page_size": 3, "site_code": "6527220001"},
    ),
    SitePlan(
        "chuxiong",
        "www.cxs.gov.test",
        "楚雄市人民政府（示例）",
        gov("chuxiong", R.CHUXIONG),
        "trs",
        "/zwgk/xxgknb/",
        (2015, 2018, 2019, 2022),
        (("信息公开指南", 2021), ("工作要点", 2019)),
        extra_reports=((DONGGUA, 2021),),
        options={"page_size": 3, "uploader": "楚雄市人民政府办公室信息科", "site_code": "5323010001"},
    ),
    SitePlan(
        "kashi",
        "www.kashi.gov.test",
        "喀什市人民政府（示例）",
        gov("kashi", R.KASHI),
        "generic",
        "/zwgk/gknb/",
        (2008, 2011, 2018, 2020, 2024),
        (("落实情况的函", 2019), ("工作总结", 2018), ("统计公报", 2023)),
        duplicate=("kashi-2018",),
        variants=((2011, "pdf"),),
        options={"page_size": 4, "site_code": "6531010001"},
    ),
    SitePlan(
        "wengyuan",
        "www.wengyuan.gov.test",
        "翁源县人民政府门户网站（示例）",
        gov("wengyuan", R.WENGYUAN),
        "gkmlpt",
        "2745",
        (2013, 2019, 2020, 2022, 2023),
        (("工作要点", 2022), ("统计公报", 2021)),
        options={"page_size": 2, "site_code": "4402290001"},
    ),
    SitePlan(
        "xianning",
        "www.xianning.gov.test",
        "咸宁市人民政府（示例）",
        gov("xianning", R.XIANNING),
        "ucap",
        "/zwgk/zfxxgknb/",
        (2010, 2016, 2019, 2021, 2024),
        (("信息公开指南", 2023), ("政府工作报告", 2022), ("考核通报", 2020)),
        options={"page_size": 3, "site_code": "4212000001"},
    ),
)

DAY2 = Day2Plan(
    edit="yuanzhou-2022", delete="dingxi-2015", new=("jinghe", 2024, None), republish=("anding-2022", "dingxi")
)

# Departments that publish reports on their government's site in the scale mode.
SCALE_DEPARTMENTS = (
    "发展和改革委员会",
    "财政局",
    "教育局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "商务局",
    "文化广电旅游局",
    "卫生健康委员会",
    "应急管理局",
    "市场监督管理局",
    "人力资源和社会保障局",
    "民政局",
    "司法局",
    "生态环境分局",
    "水利局",
    "林业局",
    "统计局",
    "医疗保障局",
)
