"""Real administrative divisions (GB/T 2260 names and current codes) that the sample sites stand for.

The samples are fictional documents, but their regions are real facts, so that region and
admin-code resolution is tested the way it will work on the real web. ``SCALE_REGIONS`` is a
wider set that the scale mode cycles through.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A division: its own name and code, and the names of the province and prefecture above it."""

    name: str
    adcode: str
    level: str  # province | prefecture | county | township (a department takes its region's)
    province: str
    city: str | None = None  # the prefecture-level division (for a prefecture: itself)
    county: str | None = None  # the county-level division (for a county or township)


def prefecture(name: str, adcode: str, province: str) -> Region:
    return Region(name, adcode, "prefecture", province, city=name)


def county(name: str, adcode: str, province: str, city: str) -> Region:
    return Region(name, adcode, "county", province, city=city, county=name)


YICHUN = prefecture("宜春市", "360900", "江西省")
YUANZHOU = county("袁州区", "360902", "江西省", "宜春市")
ZHANGSHU = county("樟树市", "360982", "江西省", "宜春市")
DINGXI = prefecture("定西市", "621100", "甘肃省")
ANDING = county("安定区", "621102", "甘肃省", "定西市")
XIANNING = prefecture("咸宁市", "421200", "湖北省")
HAICANG = county("海沧区", "350205", "福建省", "厦门市")
JINGHE = county("精河县", "652722", "新疆维吾尔自治区", "博尔塔拉蒙古自治州")
CHUXIONG = county("楚雄市", "532301", "云南省", "楚雄彝族自治州")
KASHI = county("喀什市", "653101", "新疆维吾尔自治区", "喀什地区")
WENGYUAN = county("翁源县", "440229", "广东省", "韶关市")

# A wider, still real, set for the scale mode (county-level divisions with current codes).
SCALE_REGIONS = (
    YUANZHOU,
    ZHANGSHU,
    ANDING,
    HAICANG,
    JINGHE,
    CHUXIONG,
    KASHI,
    county("万载县", "360922", "江西省", "宜春市"),
    county("上高县", "360923", "江西省", "宜春市"),
    county("宜丰县", "360924", "江西省", "宜春市"),
    county("靖安县", "360925", "江西省", "宜春市"),
    county("铜鼓县", "360926", "江西省", "宜春市"),
    county("丰城市", "360981", "江西省", "宜春市"),
    county("高安市", "360983", "江西省", "宜春市"),
    county("通渭县", "621121", "甘肃省", "定西市"),
    county("陇西县", "621122", "甘肃省", "定西市"),
    county("渭源县", "621123", "甘肃省", "定西市"),
    county("临洮县", "621124", "甘肃省", "定西市"),
    county("漳县", "621125", "甘肃省", "定西市"),
    county("岷县", "621126", "甘肃省", "定西市"),
    county("咸安区", "421202", "湖北省", "咸宁市"),
    county("嘉鱼县", "421221", "湖北省", "咸宁市"),
    county("通城县", "421222", "湖北省", "咸宁市"),
    county("崇阳县", "421223", "湖北省", "咸宁市"),
    county("通山县", "421224", "湖北省", "咸宁市"),
    county("赤壁市", "421281", "湖北省", "咸宁市"),
    county("思明区", "350203", "福建省", "厦门市"),
    county("湖里区", "350206", "福建省", "厦门市"),
    county("集美区", "350211", "福建省", "厦门市"),
    county("同安区", "350212", "福建省", "厦门市"),
    county("翔安区", "350213", "福建省", "厦门市"),
    county("博乐市", "652701", "新疆维吾尔自治区", "博尔塔拉蒙古自治州"),
    county("温泉县", "652723", "新疆维吾尔自治区", "博尔塔拉蒙古自治州"),
    county("双柏县", "532322", "云南省", "楚雄彝族自治州"),
    county("牟定县", "532323", "云南省", "楚雄彝族自治州"),
    county("南华县", "532324", "云南省", "楚雄彝族自治州"),
    county("疏附县", "653121", "新疆维吾尔自治区", "喀什地区"),
    county("疏勒县", "653122", "新疆维吾尔自治区", "喀什地区"),
    county("平潭县", "350128", "福建省", "福州市"),
)
