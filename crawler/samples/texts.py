"""Body texts of the sample documents: annual reports and pages that only look like them.

The sample websites must read like real government sites so that the crawler and the
classifier are tested on realistic prose, but the project may not ship sentences of real
documents (only facts, figures and the fixed table labels of the report template). Every
sentence below was therefore written for this project. The phrase banks are tuples of format
strings whose slots (place, agency, office, years, numbers, department and topic names) are
filled from a ``DocContext`` and from numbers drawn with the caller's ``random.Random``, so the
same seed always gives the same document while fifty documents still read differently.

Public API: ``Block``, ``DocContext``, ``report_blocks``, ``report_title``, ``other_blocks``,
``other_title``, ``edit_blocks``, ``OTHER_KINDS``. Standard library only.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass

OTHER_KINDS: tuple[str, ...] = (
    "工作要点",
    "落实情况的函",
    "工作总结",
    "考核通报",
    "统计公报",
    "政府工作报告",
    "信息公开指南",
)


@dataclass(frozen=True)
class Block:
    """One block of a document body.

    kind: "h" heading, "p" paragraph, "table" (text is the table number 二/三/四, the caller
    inserts the table there) or "sign" (a right-aligned signature line: agency or date).
    """

    kind: str
    text: str


@dataclass(frozen=True)
class DocContext:
    """Who writes the document, about which year, and the numbers the prose may quote."""

    agency: str
    place: str
    level: str
    office: str
    report_year: int
    published: datetime.date
    template: str
    stats: dict
    city: str | None = None
    province: str | None = None


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_HEAD_NUMS = "一二三四五六七八九十"
_SUB_NUMS = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）")
_ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是")


def _cn_small(n: int) -> str:
    """1..99 in Chinese numerals (十一, 二十, 三十一)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


def _cn_date(d: datetime.date) -> str:
    """A date in Chinese numerals, e.g. 二〇二〇年一月二十日."""
    year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_cn_small(d.month)}月{_cn_small(d.day)}日"


def _date_text(rng: random.Random, d: datetime.date) -> str:
    """A signature date: usually 2020年1月20日, about one in six in Chinese numerals."""
    if rng.random() < 1 / 6:
        return _cn_date(d)
    return f"{d.year}年{d.month}月{d.day}日"


def _fill(pattern: str, slots: dict) -> str:
    return pattern.format_map(slots)


def _one(rng: random.Random, bank, slots: dict) -> str:
    return rng.choice(bank).format_map(slots)


def _some_pairs(rng: random.Random, bank, k: int) -> list:
    """k distinct entries of the bank, kept in bank order so that the prose flows."""
    k = max(0, min(k, len(bank)))
    return [bank[i] for i in sorted(rng.sample(range(len(bank)), k))]


def _some_list(rng: random.Random, bank, k: int, slots: dict) -> list[str]:
    return [p.format_map(slots) for p in _some_pairs(rng, bank, k)]


def _some(rng: random.Random, bank, k: int, slots: dict) -> str:
    return "".join(_some_list(rng, bank, k, slots))


def _enum(items: list[str]) -> str:
    """一是…；二是…；三是…"""
    return "；".join(f"{_ORDINALS[i]}{x}" for i, x in enumerate(items))


def _han(text: str) -> int:
    return sum(1 for c in text if "\u3400" <= c <= "\u9fff")


def _heading(i: int, text: str) -> Block:
    return Block("h", f"{_cn_small(i + 1)}、{text}")


# ---------------------------------------------------------------------------------------------
# Names derived from the context
# ---------------------------------------------------------------------------------------------

_ROADS = (
    "人民路",
    "府前路",
    "行政中心大道",
    "建设路",
    "新华街",
    "文化路",
    "政通路",
    "迎宾大道",
    "中山路",
    "解放大道",
    "朝阳路",
    "振兴路",
    "育才路",
    "和平街",
    "东风路",
    "滨江路",
)

_GOV_DEPTS = (
    "发展改革委",
    "财政局",
    "自然资源局",
    "住房城乡建设局",
    "市场监管局",
    "人力资源社会保障局",
    "教育局",
    "卫生健康委",
    "生态环境局",
    "交通运输局",
    "农业农村局",
    "民政局",
    "应急管理局",
    "水利局",
    "医疗保障局",
    "文化广电旅游局",
    "司法局",
    "退役军人事务局",
)
_TOWN_DEPTS = (
    "财政所",
    "农业综合服务中心",
    "社会事务办公室",
    "便民服务中心",
    "综合行政执法队",
    "退役军人服务站",
    "党政综合办公室",
    "村镇建设办公室",
)
_DEPT_SECTIONS = (
    "办公室",
    "政策法规科",
    "行政审批科",
    "财务审计科",
    "执法监督科",
    "规划发展科",
    "信息中心",
    "综合业务科",
)

# Topics of proactive disclosure, by period (a few only make sense from a given year on).
_TOPICS_ALWAYS = (
    "财政预决算",
    "重大建设项目",
    "公共资源配置",
    "社会公益事业",
    "义务教育",
    "医疗卫生",
    "住房保障",
    "就业创业",
    "社会救助",
    "安全生产",
    "食品药品监管",
    "征地拆迁",
    "环境保护",
)
_TOPICS_2016 = ("脱贫攻坚", "减税降费", "“放管服”改革")
_TOPICS_2018 = ("乡村振兴", "营商环境", "生态环境", "养老服务")
_TOPICS_2021 = ("乡村振兴", "优化营商环境", "疫情防控", "城市更新", "稳岗就业", "生态环境")
_INDUSTRIES = (
    "先进制造业",
    "现代农业",
    "文化旅游",
    "新能源",
    "现代物流",
    "数字经济",
    "生物医药",
    "新材料",
    "城市基础设施",
    "交通水利",
)
_TOPICS_TOWN = (
    "惠农补贴发放",
    "村务财务",
    "低保和特困救助",
    "农村人居环境整治",
    "征地补偿",
    "农村危房改造",
    "民生实事项目",
    "森林防火",
    "耕地保护",
)

# Fields of departments: keyword in the agency name -> (field, topics).
_FIELDS = (
    (
        "生态环境",
        "生态环境保护",
        ("环境影响评价审批", "排污许可", "环境质量监测", "环境行政处罚", "突发环境事件应急", "污染防治攻坚"),
    ),
    ("环境保护", "环境保护", ("环境影响评价审批", "排污许可", "环境质量监测", "环境行政处罚", "污染源监管")),
    ("财政", "财政管理", ("财政预决算", "政府债务", "惠民惠农补贴资金", "政府采购", "财政专项资金", "国有资产管理")),
    ("教育", "教育管理", ("招生入学", "学校收费", "教育经费", "学生资助", "教师招聘", "校园安全")),
    ("卫生", "卫生健康", ("医疗机构监管", "疫苗接种", "传染病防控", "医疗服务价格", "妇幼健康", "卫生监督执法")),
    ("自然资源", "自然资源管理", ("国土空间规划", "土地征收", "矿业权出让", "不动产登记", "耕地保护", "国有土地出让")),
    ("国土", "国土资源管理", ("土地征收", "矿业权出让", "土地利用规划", "国有土地出让", "地质灾害防治")),
    (
        "住房",
        "住房和城乡建设",
        ("保障性住房", "建筑市场监管", "物业管理", "城镇老旧小区改造", "建设工程质量", "房地产市场"),
    ),
    (
        "市场监",
        "市场监督管理",
        ("食品安全抽检", "企业登记", "产品质量监督", "价格监管", "知识产权保护", "特种设备安全"),
    ),
    (
        "人力资源",
        "人力资源和社会保障",
        ("就业创业扶持", "社会保险", "劳动保障监察", "职称评审", "事业单位招聘", "技能培训"),
    ),
    ("交通", "交通运输", ("道路建设", "城乡客运", "交通执法", "公路养护", "出租汽车管理", "重点交通项目")),
    ("农业", "农业农村", ("惠农补贴", "农产品质量安全", "高标准农田建设", "动物防疫", "农村集体产权", "乡村振兴项目")),
    ("民政", "民政事务", ("最低生活保障", "特困人员供养", "养老服务", "社会组织管理", "婚姻登记", "殡葬管理")),
    ("应急", "应急管理", ("安全生产监管", "自然灾害防治", "应急救援", "危险化学品监管", "防汛抗旱", "安全生产执法")),
    ("水利", "水利", ("水利工程建设", "河湖长制", "防汛抗旱", "水资源管理", "农村饮水安全", "水土保持")),
    ("公安", "公安", ("户籍管理", "出入境管理", "交通安全管理", "治安管理", "警情通报", "便民服务")),
    ("文化", "文化和旅游", ("公共文化服务", "文化市场执法", "旅游市场监管", "文物保护", "体育赛事", "非物质文化遗产")),
    ("发展", "发展和改革", ("重大建设项目", "价格管理", "节能审查", "项目审批", "社会信用体系", "国民经济计划")),
    ("统计", "统计", ("统计数据发布", "统计执法", "经济普查", "统计调查", "统计公报", "统计信息服务")),
    ("医疗保障", "医疗保障", ("医保基金监管", "医保待遇", "药品集中采购", "医疗服务价格", "异地就医", "医疗救助")),
    ("商务", "商务", ("对外贸易", "招商引资", "市场流通", "电子商务", "消费促进", "外商投资")),
    ("审计", "审计", ("审计结果公告", "审计整改", "经济责任审计", "财政审计", "专项资金审计", "审计法规")),
    ("政务服务", "政务服务", ("政务服务事项", "公共资源交易", "行政审批", "12345热线", "“一网通办”", "窗口服务")),
    ("司法", "司法行政", ("公共法律服务", "人民调解", "法律援助", "行政复议", "普法宣传", "社区矫正")),
    ("退役军人", "退役军人事务", ("优待抚恤", "退役军人安置", "就业创业扶持", "褒扬纪念", "权益维护", "双拥工作")),
    ("林业", "林业", ("林木采伐", "森林防火", "野生动植物保护", "国土绿化", "林业有害生物防治", "生态公益林")),
)
_FIELD_DEFAULT = ("本部门职责范围内事务", ("部门预决算", "行政执法", "政策文件", "办事指南", "人事任免", "项目资金"))


def _unit(ctx: DocContext) -> str:
    """The administrative unit word of the reporting place: 市 区 县 镇 乡 省 州 …"""
    p = ctx.place
    if ctx.level == "province":
        if p.endswith("自治区"):
            return "区"
        return "省" if p.endswith("省") else "市"
    if ctx.level == "township":
        for suf in ("街道", "苏木", "镇", "乡"):
            if p.endswith(suf):
                return suf
        return "镇"
    if p.endswith("地区"):
        return "地区"
    if p.endswith("州"):
        return "州"
    for suf in ("区", "县", "市", "旗", "盟"):
        if p.endswith(suf):
            return suf
    return "市" if ctx.level in ("prefecture", "department") else "县"


def _place_short(place: str) -> str:
    for suf in (
        "维吾尔自治区",
        "回族自治区",
        "壮族自治区",
        "自治区",
        "自治州",
        "自治县",
        "地区",
        "街道",
        "省",
        "市",
        "区",
        "县",
        "镇",
        "乡",
        "州",
        "旗",
        "盟",
    ):
        if place.endswith(suf) and len(place) - len(suf) >= 2:
            rest = place[: -len(suf)]
            return rest[:2] if len(rest) > 3 else rest
    return place


def _dept_self(agency: str) -> tuple[str, str, str]:
    """(本局, 我局, 局) style words for a department."""
    for tail, word in (("委员会", "委"), ("局", "局"), ("委", "委"), ("办公室", "办"), ("中心", "中心"), ("厅", "厅")):
        if agency.endswith(tail):
            return "本" + word, "我" + word, word
    return "本单位", "我单位", "单位"


def _agency_rest(ctx: DocContext) -> str:
    """The agency name without its place prefix (生态环境局 for 咸宁市生态环境局)."""
    a = ctx.agency
    return a[len(ctx.place) :] if a.startswith(ctx.place) and len(a) > len(ctx.place) else a


def _field(agency: str) -> tuple[str, tuple[str, ...]]:
    for key, field, topics in _FIELDS:
        if key in agency:
            return field, topics
    return _FIELD_DEFAULT


def _topic_pool(ctx: DocContext) -> tuple[str, ...]:
    y = ctx.report_year
    if ctx.level == "department":
        return _field(ctx.agency)[1]
    if ctx.level == "township":
        pool = _TOPICS_TOWN
        if y < 2018:
            pool = tuple(t for t in pool if t != "民生实事项目") + ("扶贫开发",)
        return pool
    if y >= 2021:
        return _TOPICS_ALWAYS[:8] + _TOPICS_2021
    if y >= 2018:
        return tuple(x for x in _TOPICS_ALWAYS if x != "环境保护") + _TOPICS_2018 + ("脱贫攻坚",)
    if y >= 2016:
        return _TOPICS_ALWAYS + _TOPICS_2016
    return _TOPICS_ALWAYS + ("扶贫开发", "行政审批")


_THEMES = {
    "early": ("以《条例》的贯彻实施为主线", "围绕建设透明政府的目标", "按照依法、及时、准确的公开原则"),
    "mid": ("围绕转变政府职能和简政放权", "以推进行政权力公开透明运行为重点", "结合党的群众路线教育实践活动"),
    "late": (
        "按照全面推进政务公开的部署要求",
        "围绕决策、执行、管理、服务、结果“五公开”",
        "以政务公开促进“放管服”改革落地",
    ),
    2019: ("以新修订的《条例》施行为契机", "对照新《条例》逐条梳理公开职责"),
    2020: ("统筹疫情防控和经济社会发展信息发布", "围绕疫情防控和复工复产两条主线"),
    2021: ("围绕“十四五”规划开局起步", "结合党史学习教育“我为群众办实事”实践活动"),
    2022: ("聚焦稳经济、保民生各项任务", "围绕迎接和学习宣传贯彻党的二十大"),
    2023: ("以学习贯彻党的二十大精神为主线", "围绕全面建设社会主义现代化开局起步"),
    "later": ("紧扣年度重点工作任务", "以提升政务公开质效为目标", "围绕群众和企业关切"),
}


def _theme(rng: random.Random, y: int) -> str:
    if y <= 2012:
        key = "early"
    elif y <= 2015:
        key = "mid"
    elif y <= 2018:
        key = "late"
    elif y <= 2023:
        key = y
    else:
        key = "later"
    return rng.choice(_THEMES[key])


def _slots(rng: random.Random, ctx: DocContext) -> dict:
    """All names and numbers one document may use (drawn once, so a document stays coherent)."""
    y = ctx.report_year
    unit = _unit(ctx)
    lv = ctx.level
    short = _place_short(ctx.place)
    s: dict = {
        "agency": ctx.agency,
        "place": ctx.place,
        "office": ctx.office,
        "Y": y,
        "Y1": y + 1,
        "Yp": y - 1,
        "unit": unit,
        "short": short,
    }
    city = ctx.city or ctx.place
    prov = ctx.province or "省"
    if lv == "department":
        self_, we, word = _dept_self(ctx.agency)
        field, _ = _field(ctx.agency)
        s.update(
            scope=self_,
            we=we,
            self=self_,
            gov=f"{unit}政府",
            field=field,
            units=(f"{self_}机关各科室和直属单位" if word != "单位" else "本单位各科室和下属单位"),
            upper=f"{ctx.place}人民政府办公室",
            meeting=rng.choice(("党组会议", "局务会议" if word == "局" else "主任办公会议", "领导班子会议")),
            hall=f"{ctx.place}政务服务中心{_agency_rest(ctx)}窗口",
            site=rng.choice((f"{ctx.agency}门户网站", f"{ctx.agency}网站")),
            nm=f"“{short}{_agency_rest(ctx).rstrip('局委办厅') or '政务'}”微信公众号",
            lookup=f"{unit}档案馆、{unit}图书馆",
            board="办事大厅公开栏",
            gaz="",
            base="本单位",
            sub="各科室",
        )
        depts = [f"{word}{n}" if not n.startswith(word) else n for n in _DEPT_SECTIONS]
    elif lv == "township":
        s.update(
            scope=f"全{unit}",
            we=f"我{unit}",
            self=f"本{unit}",
            gov=f"{unit}政府",
            field="基层政务",
            units=f"各村（社区）和{unit}属各单位",
            upper="县（区）人民政府办公室",
            meeting=rng.choice((f"{unit}党委会议", f"{unit}政府办公会议", "党政联席会议")),
            hall=f"{ctx.place}便民服务中心",
            site=f"{ctx.place}人民政府网站",
            nm=f"“{short}{'之窗' if rng.random() < 0.5 else '发布'}”微信公众号",
            lookup=f"{unit}便民服务中心和各村（社区）党群服务中心",
            board=f"{unit}村两级政务公开栏",
            gaz="",
            base="村（社区）",
            sub="各村（社区）",
        )
        depts = [f"{unit}{n}" for n in _TOWN_DEPTS]
    else:
        if lv == "province":
            units = f"各设区市人民政府和{unit}直各部门"
            upper = "国务院办公厅政府信息与政务公开办公室"
        elif lv == "prefecture":
            units = "各县（市、区）人民政府和" + ("市" if unit == "市" else unit) + "直各部门"
            upper = f"{prov}人民政府办公厅"
        else:
            units = f"各乡镇（街道）和{unit}直各部门"
            upper = f"{city}人民政府办公室" if city != ctx.place else "市政府办公室"
        gov = "行署" if unit == "地区" else f"{unit}政府"
        s.update(
            scope=f"全{unit}",
            we=f"我{unit}",
            self="本级政府",
            gov=gov,
            field="政府信息公开",
            units=units,
            upper=upper,
            meeting=f"{gov}常务会议",
            hall=f"{unit}政务服务中心",
            site=f"{ctx.place}人民政府门户网站",
            nm=f"“{short}发布”微信公众号",
            lookup=f"{unit}档案馆、{unit}图书馆",
            board="政务公开栏",
            gaz=f"《{ctx.place}人民政府公报》",
            base="基层" if lv != "province" else "市县",
            sub="各单位",
        )
        depts = [f"{unit}{n}" for n in _GOV_DEPTS]
    s["prov"] = prov
    s["city"] = city
    s["some"] = {"department": "部分科室", "township": "个别村（社区）"}.get(lv, "部分单位")
    s["fin"] = {"department": "机关财务科", "township": f"{unit}财政所"}.get(lv, f"{unit}财政局")
    s["ind1"], s["ind2"] = rng.sample(_INDUSTRIES, 2)
    s["owner"] = ctx.agency if lv == "department" else ctx.place
    picked = rng.sample(depts, 4)
    for i, d in enumerate(picked, 1):
        s[f"dept{i}"] = d
    pool = _topic_pool(ctx)
    for i, t in enumerate(rng.sample(pool, 6), 1):
        s[f"topic{i}"] = t
    s["theme"] = _theme(rng, y)
    # Contact details (made up).
    area = "0" + str(rng.randint(310, 999))
    s["phone"] = f"{area}-{rng.randint(2000000, 8999999)}"
    s["fax"] = f"{area}-{rng.randint(2000000, 8999999)}"
    s["zip"] = str(rng.randint(100000, 850000))
    road = rng.choice(_ROADS)
    if lv == "province":
        s["addr"] = f"{ctx.place}人民政府大院{rng.randint(1, 9)}号楼"
    else:
        s["addr"] = f"{ctx.place}{road}{rng.randint(1, 399)}号"
    if lv in ("prefecture", "county"):
        s["addr"] += rng.choice(("", f"行政中心{rng.randint(1, 9)}号楼", f"{rng.randint(2, 12)}楼"))
    s["room"] = f"{rng.randint(1, 9)}{rng.randint(0, 2)}{rng.randint(1, 9)}室"
    _numbers(rng, ctx, s)
    return s


def _scale(ctx: DocContext) -> float:
    levels = {"province": 10.0, "prefecture": 3.5, "county": 1.0, "township": 0.12, "department": 0.25}
    base = levels.get(ctx.level, 1.0)
    y = ctx.report_year
    if y <= 2012:
        base *= 0.3
    elif y <= 2016:
        base *= 0.6
    return base


def _numbers(rng: random.Random, ctx: DocContext, s: dict) -> None:
    k = _scale(ctx)
    r = rng.randint

    def n(lo: int, hi: int, minimum: int = 1) -> int:
        return max(minimum, int(r(lo, hi) * k))

    s["n_active"] = n(2500, 7000, 40)
    s["n_web"] = max(20, int(s["n_active"] * rng.uniform(0.55, 0.8)))
    s["n_nm"] = max(10, int(s["n_active"] * rng.uniform(0.3, 0.9)))
    s["n_docs"] = n(20, 80, 3)
    s["n_news"] = max(10, int(s["n_active"] * rng.uniform(0.35, 0.55)))
    s["n_key"] = max(8, int(s["n_active"] * rng.uniform(0.12, 0.3)))
    s["n_interp"] = n(8, 40, 2)
    s["n_graph"] = max(1, s["n_interp"] // r(2, 4))
    s["n_press"] = n(4, 16, 1)
    s["n_interview"] = n(2, 12, 1)
    s["n_train"] = r(1, 3) if ctx.level == "township" else r(2, 8)
    s["n_trainp"] = s["n_train"] * max(8, int(r(25, 90) * min(k, 2.0)))
    s["n_hot"] = n(3000, 15000, 60)
    s["n_msg"] = n(200, 2000, 12)
    s["pct"] = f"{rng.uniform(95.0, 99.9):.1f}"
    s["pct2"] = r(3, 8)
    s["n_meet"] = r(2, 8)
    s["n_cols"] = r(3, 15)
    s["n_visits"] = n(20, 200, 1)
    s["n_nmacc"] = n(10, 40, 1)
    s["n_closed"] = r(1, 5)
    s["n_term"] = r(2, 20)
    s["n_gaz"] = r(6, 24)
    s["n_gazdoc"] = s["n_gaz"] * r(3, 9)
    s["n_issue"] = n(20, 160, 3)
    s["n_sup"] = r(5, 30)
    s["n_check"] = r(2, 6)
    s["n_budget"] = n(30, 80, 2)
    s["n_lookup"] = n(300, 3000, 20)
    s["n_consult"] = n(100, 1500, 10)
    s["n_board"] = r(12, 48)
    s["n_prop_a"] = n(20, 80, 1)
    s["n_prop_b"] = n(30, 120, 1)
    s["n_catalog"] = n(200, 900, 20)
    s["n_list"] = n(800, 3000, 30)
    s["n_persons"] = r(1, 3) if ctx.level in ("township", "department") else r(2, 6)
    s["n_units"] = {
        "province": r(40, 70),
        "prefecture": r(45, 80),
        "county": r(35, 65),
        "township": r(8, 25),
        "department": r(4, 12),
    }.get(ctx.level, r(20, 50))
    s["n_cleaned"] = n(20, 120, 2)
    s["n_events"] = r(2, 6)
    s["n_resp"] = n(8, 40, 3)
    if ctx.level == "township":
        s["props"] = f"人大代表建议{s['n_prop_a']}件"
        s["props_title"] = "人大代表建议"
        s["supervision"] = f"{s['unit']}人大的法律监督和工作监督"
        s["listeners"] = "列席会议的同志"
        s["press_word"] = "政策宣讲会"
    else:
        s["props"] = f"人大代表建议{s['n_prop_a']}件、政协委员提案{s['n_prop_b']}件"
        s["props_title"] = "人大代表建议和政协提案"
        s["supervision"] = "人大法律监督、工作监督和政协民主监督"
        s["listeners"] = "政协委员和其他列席会议的同志"
        s["press_word"] = "新闻发布会"


# ---------------------------------------------------------------------------------------------
# The opening paragraph (both kinds of report)
# ---------------------------------------------------------------------------------------------

_OPEN_BASIS = (
    "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）的有关规定，由{office}在汇总{units}相关材料的基础上编写。",
    "按照《中华人民共和国政府信息公开条例》和{upper}关于做好年度报告编制发布工作的安排，{office}对{Y}年{scope}政府信息公开工作进行了梳理回顾，形成本报告。",
    "{agency}依据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，结合本年度工作实际，编制{Y}年政府信息公开工作年度报告并向社会公布。",
    "为便于社会公众了解{Y}年{place}政府信息公开工作的开展情况，{office}根据《中华人民共和国政府信息公开条例》的要求，在{units}报送材料的基础上汇总编制了本报告。",
    "现依据《中华人民共和国政府信息公开条例》，向社会公布{agency}{Y}年度政府信息公开工作情况，报告由{office}负责编写。",
    "依照《中华人民共和国政府信息公开条例》有关年度报告的规定，{office}组织编写了{agency}{Y}年政府信息公开工作年度报告。",
)
_OPEN_PARTS_TEMPLATE = (
    "报告内容分为总体情况、主动公开、依申请公开、行政复议和行政诉讼、存在问题及改进、其他事项六个方面。",
    "全文共六个部分，依次说明总体工作，主动公开信息的情况，公开申请的收到和办理情况，复议诉讼情况，问题与改进，以及需要另行报告的事项。",
    "报告按照国务院办公厅统一规定的格式，分六个部分说明本年度工作情况，并以三张统计表列示主动公开、依申请公开和复议诉讼的数据。",
    "报告正文由六部分组成，其中第二、三、四部分以统计表格的形式列示相关数据。",
)
_OPEN_PARTS_FREE = (
    "全文由{parts}等部分组成。",
    "报告分为{parts}等{nparts}个部分。",
    "报告主要包括{parts}等内容。",
    "本报告共{nparts}部分，分别是{parts}。",
)
_OPEN_PERIOD = (
    "本报告中所列数据的统计期限自{Y}年1月1日起至{Y}年12月31日止。",
    "报告中所列数据的统计时段为{Y}年1月1日至{Y}年12月31日。",
    "所列数据统计时间为{Y}年1月1日至{Y}年12月31日。",
    "本报告所涉数据，统计区间均为{Y}年1月1日至{Y}年12月31日。",
    "文中数据的统计期限自{Y}年1月1日起至{Y}年12月31日止，个别数据另有说明的除外。",
    "除特别注明外，报告所列数据的统计期间为{Y}年1月1日至{Y}年12月31日。",
)
_OPEN_CONTACT = (
    "公众对本报告内容如有疑问，可与{office}联系（地址：{addr}；邮编：{zip}；联系电话：{phone}）。",
    "如需进一步了解相关情况，欢迎致电{phone}，或来函寄至{addr}{office}（邮政编码：{zip}）。",
    "本报告电子文本可在{site}查阅下载；对报告有意见建议的，请联系{office}，地址为{addr}，电话{phone}。",
    "对本报告有疑问的，请向{office}咨询，办公地址：{addr}，邮编{zip}，电话：{phone}，传真：{fax}。",
    "读者对报告所列内容存在疑问的，可通过电话{phone}或信函方式（{addr}，{zip}）与{office}取得联系。",
    "本报告可在{site}“政府信息公开年报”栏目查看。咨询单位：{office}；咨询电话：{phone}；通讯地址：{addr}。",
)


def _opening(rng: random.Random, s: dict, parts: str | None, nparts: int) -> Block:
    basis = _one(rng, _OPEN_BASIS, s)
    if parts is None:
        content = _one(rng, _OPEN_PARTS_TEMPLATE, s)
    else:
        content = _fill(rng.choice(_OPEN_PARTS_FREE), {**s, "parts": parts, "nparts": _cn_small(nparts)})
    contact = _one(rng, _OPEN_CONTACT, s)
    if rng.random() < 0.25:  # about one report in four gives no statistical period
        text = basis + content + contact
    else:
        period = _one(rng, _OPEN_PERIOD, s)
        text = basis + content + (period + contact if rng.random() < 0.75 else contact + period)
    return Block("p", text)


# ---------------------------------------------------------------------------------------------
# Template reports (2019 and 2021 formats)
# ---------------------------------------------------------------------------------------------

_T_INTRO = (
    "{Y}年，{we}{theme}，把政务公开作为建设法治政府、服务型政府的一项基础性工作来抓，{focus}，各项工作取得了新的进展。",
    "{Y}年以来，{agency}认真执行《条例》各项规定，对照国家和{prov}关于政务公开的工作部署，{theme}，{focus}，政府信息公开的规范化、标准化水平有了明显提升。",
    "过去一年，{scope}政府信息公开工作在{gov}的统一领导下稳步推进。{we}紧扣{topic1}、{topic2}等群众普遍关心的领域，{focus}，较好地保障了公众的知情权、参与权和监督权。",
    "{Y}年，{we}坚持以公开促落实、以公开促规范、以公开促服务，{theme}，{focus}。全年召开{meeting}{n_meet}次专题研究政务公开事项，相关工作总体运行平稳有序。",
    "{Y}年，{agency}把政府信息公开工作摆在更加突出的位置，{theme}，{focus}，主动公开的质量和依申请公开的办理水平都有所提高，群众获取政府信息更加便捷。",
    "一年来，{we}按照“以公开为常态、不公开为例外”的要求，{theme}，{focus}，为{scope}各项工作的顺利开展营造了公开透明的环境。",
)
_YEAR_NOTES = {
    2019: (
        "新修订的《中华人民共和国政府信息公开条例》自2019年5月15日起施行。{we}及时组织{units}学习新《条例》，对照新规定修订了依申请公开工作流程和答复文书格式，更新了政府信息公开指南，确保新旧制度平稳衔接。",
        "2019年是新修订《条例》施行的第一年。{we}以此为契机，对公开职责、公开范围和办理程序进行了全面梳理，按照新《条例》要求调整了网站政府信息公开专栏的栏目设置。",
    ),
    2020: (
        "面对突如其来的新冠肺炎疫情，{we}把疫情防控信息公开作为重中之重，通过{site}和{nm}及时发布疫情通报、防控措施和复工复产政策，全年发布疫情防控相关信息{n_key}条，有效回应了群众关切。",
        "2020年，{we}在做好常规公开工作的同时，围绕疫情防控和复工复产开设专题专栏，集中发布防控政策、物资保障和惠企措施等信息，并通过{press_word}及时通报防控进展。",
    ),
    2021: (
        "2021年是“十四五”开局之年。{we}围绕规划纲要的编制和实施，及时公开规划文本及解读，并结合“我为群众办实事”实践活动，梳理群众关心的高频事项集中公开。",
        "结合党史学习教育，{we}把政务公开与“我为群众办实事”结合起来，聚焦{topic1}、{topic2}等民生事项，推动惠民政策和办事指南直达基层。",
    ),
    2022: (
        "这一年，{we}围绕稳经济一揽子政策措施的落实，集中公开助企纾困、减税降费、稳岗就业等政策，全年发布惠企政策解读{n_interp}篇，推动政策红利直达市场主体。",
    ),
    2023: (
        "这一年，{we}聚焦高质量发展和民生改善，在{site}开设专题专栏，集中公开重点项目、重大政策和民生实事的推进情况。",
    ),
}
_T_FOCUS = (
    "持续深化决策、执行、管理、服务、结果公开",
    "不断加强政策解读和回应社会关切",
    "着力提升政务服务事项公开质量",
    "稳步推进基层政务公开标准化规范化建设",
    "进一步健全公开工作制度和审查机制",
    "抓好重点领域信息的发布和更新",
)
_SUB_TITLES = (
    ("主动公开", "主动公开方面", "主动公开情况", "做好主动公开"),
    ("依申请公开", "依申请公开方面", "依申请公开情况", "规范依申请公开"),
    ("政府信息管理", "政府信息管理方面", "政府信息管理情况", "加强政府信息管理"),
    ("平台建设", "平台建设方面", "政府信息公开平台建设情况", "强化平台建设"),
    ("监督保障", "监督保障方面", "监督保障情况", "强化监督保障"),
)
_T_ACTIVE = (
    "全年通过{site}主动公开政府信息{n_active}条，其中政策文件{n_docs}件、工作动态{n_news}条、重点领域信息{n_key}条。",
    "依托{nm}等政务新媒体同步推送各类信息{n_nm}条，扩大了政府信息的传播范围。",
    "围绕{topic1}、{topic2}、{topic3}等重点领域，及时更新专题专栏内容，做到应公开尽公开、应上网尽上网。",
    "坚持政策文件与解读材料同步起草、同步审签、同步发布，全年发布政策解读{n_interp}篇，其中采用图解、短视频、问答等形式的{n_graph}篇。",
    "{press}",
    "涉及{topic4}的政策文件，在出台前均通过网站公开征求意见，并在决策后反馈意见采纳情况。",
    "通过{hotline}、领导信箱等渠道收集和回应群众诉求{n_hot}件，按期办结率达到{pct}%。",
    "按照主动公开基本目录，梳理并公开权责清单、公共服务事项清单等{n_list}项内容，清单随职能调整同步更新。",
    "围绕{topic5}开设专题专栏，集中发布政策措施、办事流程和工作进展，方便群众一站式查询。",
    "全年公开财政预决算信息{n_budget}个单位次，“三公”经费增减变化原因均作了说明。",
)
_T_KEY_LEAD = (
    "聚焦重点领域，推动信息公开向纵深发展。",
    "重点领域信息公开进一步深化。",
    "在重点领域信息公开方面，{we}按照“谁主管、谁公开”的要求压实责任。",
    "围绕群众关注的重点领域，持续加大公开力度。",
)
_T_KEY_CLAUSE = (
    "及时发布相关政策文件和资金安排",
    "公开项目清单和实施进展",
    "按季度通报工作推进情况",
    "集中公开办理标准、流程和时限",
    "在专栏中集中展示政策依据和实施情况",
    "公开补助对象、标准和发放结果",
    "对执法检查和处理结果进行公示",
)
_T_ACTIVE_PRESS = (
    "召开{press_word}{n_press}场，组织负责同志在线访谈{n_interview}期，主动就社会关注的问题发布权威信息。",
    "全年举办{press_word}{n_press}场，围绕{topic5}等热点话题及时发声、解疑释惑。",
    "通过新闻发布会、在线访谈等形式解读重要政策{n_press}次，邀请相关单位负责同志参与解读{n_interview}次。",
)
_T_ACTIVE_STATS = (
    "本年度制发{kind_reg}{regulations}件，均按规定在印发之日起二十个工作日内向社会公开。",
    "全年新制发{kind_reg}{regulations}件，文件全文和配套解读一并在网站发布。",
)
_T_ACTIVE_LIC = (
    "作出行政许可决定{licences}件，许可结果按照“双公示”要求在规定时限内公开。",
    "办理行政许可事项{licences}件，办理依据、流程和结果均在网上公示。",
)
_T_APPLY = (
    "进一步规范受理、登记、审核、答复、归档等环节，统一答复文书格式，对涉及多个部门的申请建立会商机制，确保答复依法有据。",
    "对申请内容不够明确的，一次性告知申请人需要补正的事项和期限；对不属于本机关公开职责的，告知申请人获取信息的渠道。",
    "畅通网上申请、信函申请和当面申请等渠道，在{hall}设置申请受理窗口，由专人负责登记和跟踪办理。",
    "加强对承办单位的业务指导，针对答复中容易出现的问题编印了答复文书参考范本，供各单位对照使用。",
    "及时更新申请须知和申请表样式，在网站公布受理机构的地址、电话和受理时间，方便群众提出申请。",
)
_T_APPLY_BUSY = (
    "注重分析申请的热点内容，对申请较为集中的{topic2}等方面信息，及时研究转为主动公开，从源头上减少重复申请。",
    "坚持每件申请都经过法律顾问或法制机构审核，答复时一并告知申请人救济途径，提高了答复的规范性和说理性。",
    "对答复期限临近的申请实行提醒督办，确保不出现逾期答复的情况。",
    "对涉及第三方权益的申请，依法书面征求第三方意见，并把征求意见的情况写入答复书。",
    "每季度对申请办理情况进行一次汇总分析，及时发现和纠正办理中的不规范问题。",
)
_T_APPLY_NUM = (
    "本年度共新收政府信息公开申请{received}件{ci_short}，均严格按照《条例》规定的程序和时限作出答复{co_short}。",
    "全年收到政府信息公开申请{received}件{ci_short}，已办结{finished}件{co_short}。",
    "{Y}年，{agency}受理政府信息公开申请{received}件，申请主要集中在{topic1}、{topic3}等方面{ci_short}；已答复{finished}件{co_short}。",
)
_T_APPLY_ONLY_OLD = (
    "本年度未收到新的政府信息公开申请，上年结转的{carried_in}件申请已依法办理。",
    "{Y}年，{agency}没有新收政府信息公开申请，对上年结转的{carried_in}件申请按期作出了答复。",
)
_T_APPLY_NONE = (
    "本年度未收到政府信息公开申请，但仍按照《条例》要求保持受理渠道畅通，指定专人负责申请的接收和登记。",
    "{Y}年，{agency}未收到公民、法人或者其他组织提出的政府信息公开申请，申请受理渠道保持畅通。",
)
_T_MANAGE = (
    "严格执行公文公开属性源头认定制度，拟文时同步明确主动公开、依申请公开或不予公开属性，对不予公开的说明理由。",
    "落实信息发布“三审三校”制度和保密审查机制，全年未发生泄密和不当公开事件。",
    "对{scope}现行有效的规范性文件进行了集中清理，共清理文件{n_cleaned}件，清理结果和现行有效目录及时向社会公开。",
    "动态更新政府信息公开指南和主动公开目录，确保目录内容与机构职能和工作实际相匹配。",
    "建立政府信息公开工作台账，定期对已公开信息开展自查，对过时、失效的信息及时标注或撤回。",
    "做好个人信息保护工作，对公开内容中涉及的身份证号码、联系电话等个人信息进行去标识化处理。",
    "建立政策文件库，集中展示{scope}现行有效的政策文件，并逐件标注文件的有效性状态。",
    "对涉及公共利益调整的文件，在起草阶段即明确公开方式和解读安排，避免先发布后补解读。",
    "规范信息发布要素，统一标注索引号、发布机构、成文日期和文号，便于公众检索和引用。",
)
_T_PLATFORM = (
    "优化{site}政府信息公开专栏，新增或调整栏目{n_cols}个，全年网站访问量约{n_visits}万人次。",
    "规范政务新媒体管理，{scope}现有在运行政务新媒体账号{n_nmacc}个，关停整合长期不更新的账号{n_closed}个。",
    "在{hall}设立政府信息公开查阅点，配备自助查询终端{n_term}台，方便群众就近查阅、现场咨询。",
    "发挥{hotline}联系群众的作用，推动热线与网站互动栏目数据互通，群众留言{n_msg}条均已按时回复。",
    "{gaz_sentence}",
    "推进政府网站集约化建设，统一信息发布标准和栏目规范，提升检索、导航和无障碍浏览等功能。",
    "在网站开设政策问答栏目，由业务单位负责解答群众提问，全年答复咨询{n_lookup}条。",
    "对网站、新媒体实行每日巡查，发现错别字、链接失效等问题当日整改，全年未出现严重错误表述。",
    "完善网站智能搜索功能，对政策文件、办事指南实行标签化管理，提高了信息查找的准确度。",
)
_T_SUPER = (
    "将政务公开工作纳入年度绩效考核，分值占比{pct2}%，考核结果作为评先评优的重要依据。",
    "组织开展政务公开业务培训{n_train}次，参训人员{n_trainp}人次，重点讲解新《条例》和依申请公开答复规范。",
    "按季度对{units}的网站和政务公开专栏进行检查，共发现并通报问题{n_issue}个，均已督促整改到位。",
    "调整充实政务公开工作领导小组，由分管负责同志牵头，{office}承担日常工作，配备专兼职工作人员{n_persons}名。",
    "主动接受人大监督、民主监督和社会监督，邀请政务公开社会监督员{n_sup}名参与评议。",
    "本年度未发生因政务公开工作不到位而被责任追究的情况。",
    "建立政务公开工作月通报制度，每月对{units}信息发布情况进行统计排名，排名结果在内部通报。",
    "把政务公开内容纳入新入职人员培训和领导干部学法课程，增强干部依法公开的意识。",
    "对检查中发现问题较多的单位，由{office}约谈具体负责人，督促限期整改并跟踪复查。",
    "通过网站意见箱和电话回访等方式，收集群众对政务公开工作的意见建议，作为改进工作的依据。",
)
_T_INTRO2 = (
    "全年重点抓了三个方面的工作：一是围绕{topic1}、{topic2}等重点领域，推动公开内容向决策、执行全过程延伸；二是健全政策解读和回应机制，做到重要政策发布与解读同步；三是加强平台和队伍建设，夯实公开工作基础。",
    "这一年，{we}把政务公开与{topic3}等重点工作同部署、同推进，在{meeting}上{n_meet}次听取政务公开工作汇报，及时研究解决栏目建设、人员保障等方面的问题。",
    "从全年情况看，{scope}主动公开信息的数量和质量同步提升，依申请公开办理更加规范，政务新媒体管理进一步加强，群众对政府信息公开工作的满意度有所提高。",
    "此外，{we}还结合年度重点任务，组织{units}对公开目录进行了一次全面梳理，补充完善公开事项{n_catalog}项，推动政务公开由“有没有”向“好不好”转变。",
)
_T_PLAIN = (
    "在政府信息管理方面，{manage}在平台建设方面，{platform}",
    "{manage}与此同时，{platform}",
)
_T3_PROSE = (
    "{Y}年，{agency}共新收政府信息公开申请{received}件，{ci}本年度办结{finished}件。其中，予以公开{granted}件，部分公开{partly}件，不予公开{refused}件{others}。{co}",
    "从办理情况看，全年收到申请{received}件，{ci}已按期答复{finished}件，其中予以公开{granted}件、部分公开{partly}件、不予公开{refused}件{others}。{co}",
    "本年度新收申请{received}件，{ci}办结{finished}件：予以公开的{granted}件，部分公开的{partly}件，不予公开的{refused}件{others}。{co}",
    "据统计，{we}全年共收到政府信息公开申请{received}件，{ci}完成答复{finished}件，予以公开{granted}件，部分公开{partly}件，不予公开{refused}件{others}。{co}",
)
_T3_CI = ("加上上年结转的{n}件，", "另有上年结转申请{n}件，", "上年结转{n}件，")
_T3_CO = (
    "另有{n}件尚在法定期限内，结转下年度继续办理。",
    "结转下年度继续办理{n}件。",
    "截至年底尚有{n}件未到答复期限，结转至下年度办理。",
)
_T3_CO_NONE = (
    "所有申请均在法定期限内答复完毕，无结转下年度办理的申请。",
    "全部申请均已按期办结。",
    "本年度没有需要结转下年度办理的申请。",
)
_T3_ONLY_OLD = (
    "本年度{agency}未新收政府信息公开申请。上年结转的{ci}件申请中，本年度办结{finished}件{co}。",
    "{Y}年没有新收的政府信息公开申请，办理的均为上年结转申请，共{ci}件，已办结{finished}件{co}。",
)
_T3_NONE = (
    "本年度{agency}未收到政府信息公开申请，也没有上年结转的申请，表中各项均为零。",
    "{Y}年，{we}没有收到公民、法人或者其他组织提出的政府信息公开申请，无上年结转事项。",
    "全年无新收和结转的政府信息公开申请。",
)
_T3_EXTRA = (
    "从申请人类型看，以自然人申请为主；从申请内容看，主要涉及{topic1}、{topic2}等方面。",
    "申请内容较为集中的是{topic2}、{topic4}等方面的信息，{we}已将其中具有普遍性的内容转为主动公开。",
    "所有答复均经过合法性审核，并在答复书中告知了申请人不服答复时的救济途径。",
    "各承办单位均在法定期限内作出答复，未发生逾期答复的情况。",
)
_T4_PROSE_NONE = (
    "本年度未发生因政府信息公开工作引起的行政复议和行政诉讼案件。",
    "{Y}年，{agency}未被申请行政复议，也未被提起行政诉讼。",
    "全年没有因政府信息公开申请引发的行政复议和行政诉讼。",
    "本年度{we}政府信息公开工作未引起行政复议和行政诉讼，依申请公开答复的规范性得到了检验。",
)
_T4_PROSE = (
    "本年度因政府信息公开工作发生{cases}，具体结果见上表。",
    "{Y}年，{agency}涉及政府信息公开的{cases}。{we}依法提交答复和证据材料，认真落实复议决定和裁判结果。",
    "全年发生与政府信息公开有关的{cases}。对案件中暴露的问题，{we}逐案分析原因，进一步规范了答复流程。",
)

_PROBLEMS = (
    (
        "{some}对政务公开工作重视不够，信息发布不够及时，个别栏目存在更新滞后的现象",
        "压实工作责任，把政务公开纳入日常督查范围，做到信息随产生随发布，对更新不及时的栏目实行挂牌督办",
    ),
    (
        "政策解读的形式较为单一，图解、视频等群众喜闻乐见的解读方式运用不多",
        "丰富政策解读方式，推动解读材料由文字为主向图文、音视频等多种形式转变，让政策看得懂、用得上",
    ),
    (
        "{base}政务公开工作人员多为兼职，人员变动较频繁，业务能力有待提高",
        "加强业务培训，每年至少组织两次集中培训，并通过以案代训、跟班学习等方式，保持工作队伍的相对稳定",
    ),
    (
        "依申请公开答复的规范性仍需加强，个别答复文书说理不够充分",
        "规范依申请公开办理流程，加强对答复文书的合法性审查，疑难申请集体研究，必要时征求法律顾问意见",
    ),
    (
        "政务新媒体运维水平参差不齐，与群众的互动交流还不够",
        "加强政务新媒体日常监管，推动账号集约化运营，建立留言办理台账，提高互动回应质量",
    ),
    (
        "重点领域信息公开的深度和广度还有差距，{topic3}等方面的信息公开不够全面",
        "围绕{topic3}、{topic4}等领域细化公开标准，明确公开内容和时限，推动重点领域信息全面、准确公开",
    ),
    (
        "政府信息管理的信息化程度不高，公文公开属性审查仍主要依靠人工",
        "推进政府信息管理信息化建设，探索在公文系统中嵌入公开属性审查环节，实现公开信息自动推送上网",
    ),
    (
        "对公众关注的热点问题回应不够主动，回应的时效性有待提升",
        "健全舆情收集、研判和回应机制，明确回应责任单位和时限，对社会关切做到第一时间回应",
    ),
)
_PROBLEMS_OLD = (
    (
        "公开内容不够丰富，部分信息公开不够及时、不够全面",
        "进一步梳理公开目录，扩大主动公开范围，做到及时、准确、全面公开",
    ),
    (
        "公众查阅点的利用率不高，群众对政府信息公开的知晓度有待提高",
        "加大《条例》宣传力度，改善查阅点服务条件，引导群众依法获取政府信息",
    ),
    (
        "依申请公开工作经验不足，办理程序还需要进一步规范",
        "完善依申请公开工作规程，明确受理、审查、答复等环节的具体要求",
    ),
    ("{base}工作人员多为兼职，业务水平参差不齐", "加强对工作人员的业务培训，提高{sub}政府信息公开工作能力"),
    ("政府网站信息更新不够及时，部分栏目内容较少", "加强网站日常维护和内容保障，建立信息报送通报制度"),
    (
        "监督考核机制不够健全，对{sub}工作的督促检查力度不够",
        "健全考核评议和责任追究制度，把政府信息公开纳入年度目标考核",
    ),
)

_T5_INTRO = (
    "{Y}年，{we}政府信息公开工作虽然取得了一定成效，但对照新形势新要求，仍存在一些不足：",
    "在肯定成绩的同时，我们也清醒地看到，{scope}政府信息公开工作还存在以下问题：",
    "对照上级要求和群众期盼，本年度工作中还存在一些短板：",
    "经过自查，{we}政府信息公开工作主要存在以下问题：",
)
_T5_MEASURE_INTRO = (
    "{Y1}年，{we}将重点做好以下工作：",
    "针对上述问题，下一步将采取以下措施：",
    "下一步，{we}将从以下几个方面加以改进：",
    "为此，{Y1}年{we}将着力抓好以下几项工作：",
)
_T5_LAST = (
    "针对上一年度报告中提出的问题，{we}逐项制定了整改措施，目前已基本整改到位。",
    "上年度报告所列问题均已纳入整改台账，通过加强培训、完善制度等措施进行了整改。",
    "对上一年度发现的问题，{we}已明确责任单位和完成时限，并按计划推进整改。",
)
_T6_FEE_NONE = (
    "本年度未收取信息处理费。",
    "{Y}年，{agency}未向申请人收取信息处理费。",
    "按照《政府信息公开信息处理费管理办法》的规定，本年度未发生收取信息处理费的情况。",
)
_T6_FEE_SOME = (
    "按照《政府信息公开信息处理费管理办法》的规定，本年度共发出收费通知{fee_n}件，收取信息处理费{fee_y}元。",
    "本年度对超出合理范围的申请依法收取信息处理费，共{fee_n}件，金额{fee_y}元。",
)
_T6_OTHER = (
    "{sub_no}{props_title}办理情况。全年承办{props}，均在规定时限内办结，办理复文按规定向社会公开。",
    "{sub_no}年度政务公开工作要点落实情况。{we}对照{upper}印发的年度工作要点，逐项分解任务，明确责任单位和完成时限，各项任务均已按期完成。",
    "{sub_no}基层政务公开标准化规范化工作情况。{we}对照有关领域标准指引，编制完善{base}政务公开事项目录，{units}均已完成目录上网，公开事项{n_catalog}项。",
    "{sub_no}政府开放日活动情况。{we}围绕{topic5}等工作组织政府开放日活动{n_events}场，邀请群众代表走进机关、走进项目现场，面对面了解政策制定和执行情况。",
)
_T6_NONE = (
    "本年度无其他需要报告的事项。",
    "{Y}年无其他需要报告的事项。",
)
_HOTLINES = ("12345政务服务便民热线", "12345热线", "市民热线")


_T_EXTRA = (
    "政策解读方面，{we}把解读作为政策发布的必经环节，解读稿由起草单位负责同志审定后与文件同步上网；围绕{topic1}等群众关心的政策，组织负责同志参加在线访谈{n_interview}期，并在{nm}开设政策问答专栏，用群众听得懂的语言讲清政策要点，政策的知晓度和认可度明显提升。",
    "同时，建立网络舆情监测、研判和处置机制，安排专人每日收集涉及{scope}的舆情信息，对群众反映集中的问题及时转交责任单位核实处理，并通过{site}和{nm}公布处理结果。全年主动回应社会关切{n_resp}次，未发生重大政务舆情事件。",
    "为扩大公众参与，对{topic4}等涉及群众切身利益的重要决策，通过座谈会、听证会、网上征求意见等方式广泛听取意见，全年公开征求意见{n_events}次，对意见采纳情况逐一反馈；同时邀请利益相关方和群众代表列席{meeting}，增强了决策的透明度。",
    "办事服务公开更加规范。{we}全面梳理{scope}政务服务事项，逐项编制办事指南，明确受理条件、申请材料、办理时限和收费标准，实现线上线下同源发布、同步更新，群众办事做到“一次告知”。",
    "在优化营商环境方面，及时公开涉企政策、收费清单和惠企资金兑现情况，通过{nm}和{hall}向企业精准推送政策信息{n_docs}条，帮助市场主体及时了解和享受政策。",
    "推行政务服务“好差评”制度，在{hall}和网上办事平台公开评价渠道，全年收集评价{n_msg}条，差评件均按规定整改并回访。",
    "督促供水、供电、供气、公共交通等公共企事业单位公开办事指南、收费标准和服务承诺，定期开展抽查，推动其信息公开与政府信息公开同步规范。",
    "在{hall}设立政策咨询窗口，安排业务骨干轮流值守，为企业和群众提供政策查询、解读和办理指引服务，全年接待咨询{n_consult}人次。",
)
_T_EXTRA_LOCAL = (
    "基层政务公开持续深化。指导{sub}以便民服务站点和公开栏为主要载体，公开惠民政策、资金发放和办事服务等信息，推动政务公开向村（社区）延伸，群众在家门口就能查询与自身相关的信息。",
)


def _pad(
    rng: random.Random,
    blocks: list[Block],
    bank,
    s: dict,
    minimum: int,
    before: str,
    after: str | None = None,
    most: int = 4,
) -> list[Block]:
    """Add paragraphs from ``bank`` until the text is long enough.

    They go right after the first paragraph starting with ``after`` (the sub-point on proactive
    disclosure, which real reports often spread over several paragraphs), else before the
    heading starting with ``before``.
    """
    unused = list(range(len(bank)))
    rng.shuffle(unused)
    unused = unused[:most]
    at = None
    if after is not None:
        at = next((i + 1 for i, b in enumerate(blocks) if b.kind == "p" and b.text.startswith(after)), None)
    if at is None:
        at = next((i for i, b in enumerate(blocks) if b.kind == "h" and b.text.startswith(before)), len(blocks))
    while unused and sum(_han(b.text) for b in blocks if b.kind in ("p", "h")) < minimum:
        blocks.insert(at, Block("p", _fill(bank[unused.pop()], s)))
        at += 1
    return blocks


def _template_report(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    st = ctx.stats or {}
    s = dict(s)
    s["hotline"] = rng.choice(_HOTLINES)
    s["focus"] = "，".join(rng.sample(_T_FOCUS, rng.randint(1, 2)))
    s["press"] = _one(rng, _T_ACTIVE_PRESS, s)
    if s["gaz"]:
        s["gaz_sentence"] = _fill(
            rng.choice(
                (
                    "编印{gaz}{n_gaz}期，刊登政府文件{n_gazdoc}件，免费向{lookup}等场所发放。",
                    "全年出版{gaz}{n_gaz}期，电子版同步在网站发布，便于群众查阅。",
                )
            ),
            s,
        )
    else:
        s["gaz_sentence"] = _fill("利用{board}发布公告、公示{n_board}期，方便不上网的群众及时了解有关信息。", s)
    s["kind_reg"] = "行政规范性文件" if ctx.template == "2021" else "规范性文件"
    blocks = [_opening(rng, s, None, 6)]

    # 一、总体情况
    blocks.append(Block("h", "一、总体情况"))
    blocks.append(Block("p", _one(rng, _T_INTRO, s)))
    if rng.random() < 0.6:
        blocks.append(Block("p", _one(rng, _T_INTRO2, s)))
    year_note = _YEAR_NOTES.get(ctx.report_year)
    if year_note and rng.random() < 0.8:
        blocks.append(Block("p", _one(rng, year_note, s)))
    active = _some(rng, _T_ACTIVE, rng.randint(4, 6), s)
    if rng.random() < 0.7:
        clauses = rng.sample(_T_KEY_CLAUSE, 3)
        active += (
            _one(rng, _T_KEY_LEAD, s)
            + "；".join(f"{s[f'topic{i + 1}']}方面，{c}" for i, c in enumerate(clauses))
            + "。"
        )
    if st.get("regulations"):
        active += _fill(rng.choice(_T_ACTIVE_STATS), {**s, **st})
    if st.get("licences"):
        active += _fill(rng.choice(_T_ACTIVE_LIC), {**s, **st})
    received = st.get("received")
    if received is None:
        apply_num = ""
    elif received == 0 and not st.get("carried_in"):
        apply_num = _one(rng, _T_APPLY_NONE, s)
    elif received == 0:
        apply_num = _fill(rng.choice(_T_APPLY_ONLY_OLD), {**s, **st})
    else:
        ci = st.get("carried_in", 0)
        co = st.get("carried_out", 0)
        nums = {
            **s,
            **st,
            "finished": st.get("finished", received + ci - co),
            "ci_short": f"，上年结转{ci}件" if ci else "",
            "co_short": f"，结转下年度继续办理{co}件" if co else "",
        }
        apply_num = _fill(rng.choice(_T_APPLY_NUM), nums)
    busy = bool(st.get("received") or st.get("carried_in"))
    apply_bank = _T_APPLY + _T_APPLY_BUSY if busy else _T_APPLY
    apply_txt = apply_num + _some(rng, apply_bank, rng.randint(3, 5), s)
    manage = _some(rng, _T_MANAGE, rng.randint(4, 6), s)
    platform = _some(rng, _T_PLATFORM, rng.randint(4, 6), s)
    superv = _some(rng, _T_SUPER, rng.randint(4, 6), s)
    if rng.random() < 0.75:
        bodies = (active, apply_txt, manage, platform, superv)
        style = rng.randint(0, 3)
        for i, body in enumerate(bodies):
            title = _SUB_TITLES[i][style]
            blocks.append(Block("p", f"{_SUB_NUMS[i]}{title}。{body}"))
    else:
        blocks.append(Block("p", active))
        blocks.append(Block("p", apply_txt))
        blocks.append(Block("p", _fill(rng.choice(_T_PLAIN), {**s, "manage": manage, "platform": platform})))
        blocks.append(Block("p", superv))

    # 二、主动公开政府信息情况
    blocks.append(Block("h", "二、主动公开政府信息情况"))
    blocks.append(Block("table", "二"))

    # 三、收到和处理政府信息公开申请情况
    blocks.append(Block("h", "三、收到和处理政府信息公开申请情况"))
    prose3 = _t3_prose(rng, s, st)
    if rng.random() < 0.5:
        blocks += [Block("p", prose3), Block("table", "三")]
    else:
        blocks += [Block("table", "三"), Block("p", prose3)]

    # 四、政府信息公开行政复议、行政诉讼情况
    blocks.append(Block("h", "四、政府信息公开行政复议、行政诉讼情况"))
    rec, lit = st.get("reconsideration", 0), st.get("litigation", 0)
    if rec or lit:
        cases = _cases(rec, lit)
        if not lit:
            cases += "，未被提起行政诉讼"
        elif not rec:
            cases += "，未被申请行政复议"
        prose4 = _fill(rng.choice(_T4_PROSE), {**s, "cases": cases})
        if prose4.endswith("具体结果见上表。"):
            blocks += [Block("table", "四"), Block("p", prose4)]
        elif rng.random() < 0.5:
            blocks += [Block("p", prose4), Block("table", "四")]
        else:
            blocks += [Block("table", "四"), Block("p", prose4)]
    else:
        prose4 = _one(rng, _T4_PROSE_NONE, s)
        if rng.random() < 0.5:
            blocks += [Block("p", prose4), Block("table", "四")]
        else:
            blocks += [Block("table", "四"), Block("p", prose4)]

    # 五、存在的主要问题及改进情况
    blocks.append(Block("h", "五、存在的主要问题及改进情况"))
    blocks += _problems(rng, s, _PROBLEMS, ctx.template == "2021" or ctx.report_year >= 2020)

    # 六、其他需要报告的事项
    blocks.append(Block("h", "六、其他需要报告的事项"))
    blocks += _other_matters(rng, s, ctx)
    extra = _T_EXTRA + (_T_EXTRA_LOCAL if ctx.level != "department" else ())
    blocks = _pad(rng, blocks, extra, s, rng.randint(2150, 2900), "二、", "（一）")
    blocks += _signature(rng, ctx)
    return blocks


def _cases(rec: int, lit: int) -> str:
    """行政复议2件、行政诉讼1件 (zero counts left out)."""
    parts = [f"行政复议{rec}件" if rec else "", f"行政诉讼{lit}件" if lit else ""]
    return "、".join(x for x in parts if x)


def _t3_prose(rng: random.Random, s: dict, st: dict) -> str:
    if "received" not in st:
        return _fill("{Y}年，{we}依法办理政府信息公开申请，申请的收到和办理情况见下表。", s)
    received = st.get("received", 0)
    ci = st.get("carried_in", 0)
    co = st.get("carried_out", 0)
    if received == 0 and ci == 0:
        return _one(rng, _T3_NONE, s)
    finished = st.get("finished", received + ci - co)
    if received == 0:
        return _fill(
            rng.choice(_T3_ONLY_OLD),
            {**s, "ci": ci, "finished": finished, "co": f"，仍有{co}件结转下年度继续办理" if co else ""},
        )
    granted, partly, refused = st.get("granted", 0), st.get("partly", 0), st.get("refused", 0)
    rest = finished - granted - partly - refused
    others = ""
    if rest > 0:
        others = rng.choice(
            (
                "，因无法提供、不予处理等其他原因作出答复{n}件",
                "，其余{n}件分别作出无法提供、不予处理或其他处理的答复",
                "，另有{n}件因本机关不掌握相关信息等原因未能提供",
            )
        ).format(n=rest)
    if ci:
        ci_txt = rng.choice(_T3_CI).format(n=ci)
    else:
        ci_txt = rng.choice(("无上年结转申请，", "", "没有上年结转的申请，"))
    co_txt = rng.choice(_T3_CO).format(n=co) if co else rng.choice(_T3_CO_NONE)
    text = _fill(
        rng.choice(_T3_PROSE),
        {**s, **st, "finished": finished, "ci": ci_txt, "co": co_txt, "others": others, "received": received},
    )
    for zero in ("部分公开0件，", "部分公开的0件，", "部分公开0件、"):
        text = text.replace(zero, "")
    text = re.sub(r"[，、]不予公开(?:的)?0件", "", text)
    if received and rng.random() < 0.7:
        text += _one(rng, _T3_EXTRA, s)
    return text


def _problems(rng: random.Random, s: dict, bank, last_year_note: bool) -> list[Block]:
    k = rng.randint(3, 5)
    idx = sorted(rng.sample(range(len(bank)), k))
    probs = [_fill(bank[i][0], s) for i in idx]
    meas = [_fill(bank[i][1], s) for i in idx]
    style = rng.randint(0, 2)
    out: list[Block] = []
    if style == 0:
        out.append(Block("p", "（一）存在的主要问题。" + _one(rng, _T5_INTRO, s) + _enum(probs) + "。"))
        out.append(Block("p", "（二）改进措施。" + _one(rng, _T5_MEASURE_INTRO, s) + _enum(meas) + "。"))
    elif style == 1:
        out.append(
            Block(
                "p",
                _one(rng, _T5_INTRO, s) + _enum(probs) + "。" + _one(rng, _T5_MEASURE_INTRO, s) + _enum(meas) + "。",
            )
        )
    else:
        out.append(Block("p", _one(rng, _T5_INTRO, s) + _enum(probs) + "。"))
        for i, m in enumerate(meas):
            out.append(Block("p", f"{_SUB_NUMS[i]}{m}。"))
    if last_year_note and rng.random() < 0.6:
        out.insert(0, Block("p", _one(rng, _T5_LAST, s)))
    return out


def _other_matters(rng: random.Random, s: dict, ctx: DocContext) -> list[Block]:
    parts: list[str] = []
    if ctx.template == "2021":
        if rng.random() < 0.8:
            parts.append(_one(rng, _T6_FEE_NONE, s))
        else:
            n = rng.randint(1, 3)
            fee = n * rng.choice((100, 120, 150, 200, 360))
            parts.append(_fill(rng.choice(_T6_FEE_SOME), {**s, "fee_n": n, "fee_y": fee}))
    elif rng.random() < 0.3:
        parts.append(_fill("本年度{agency}在政府信息公开工作中未收取任何费用。", s))
    k = rng.choice((0, 1, 2, 2, 3, 3))
    if k == 0 and not parts:
        return [Block("p", _one(rng, _T6_NONE, s))]
    blocks = [Block("p", p) for p in parts]
    idx = sorted(rng.sample(range(len(_T6_OTHER)), k))
    numbered = k > 1
    for j, i in enumerate(idx):
        sub_no = _SUB_NUMS[j] if numbered else ""
        blocks.append(Block("p", _fill(_T6_OTHER[i], {**s, "sub_no": sub_no})))
    return blocks


def _signature(rng: random.Random, ctx: DocContext) -> list[Block]:
    who = rng.choice((ctx.office, ctx.agency))
    return [Block("sign", who), Block("sign", _date_text(rng, ctx.published))]


# ---------------------------------------------------------------------------------------------
# Free-form reports (2008–2018)
# ---------------------------------------------------------------------------------------------

_F_H1 = ("概述", "总体情况", "基本情况", "政府信息公开工作概述", "政府信息公开工作基本情况")
_F_H2 = ("主动公开政府信息情况", "主动公开政府信息的情况", "政府信息主动公开情况")
_F_H3 = ("依申请公开政府信息情况", "依申请公开政府信息和不予公开政府信息的情况", "政府信息依申请公开情况")
_F_H4 = ("政府信息公开的收费及减免情况", "政府信息公开收费及减免情况", "信息公开收费和减免情况")
_F_H5 = (
    "因政府信息公开申请提起行政复议、行政诉讼的情况",
    "因政府信息公开申请行政复议、诉讼和申诉的情况",
    "行政复议和行政诉讼情况",
)
_F_H45 = ("政府信息公开收费及行政复议、行政诉讼情况", "收费减免及复议诉讼情况")
_F_H6 = (
    "政府信息公开工作存在的主要问题及改进措施",
    "存在的不足和下一步打算",
    "存在的主要问题和改进措施",
    "政府信息公开工作存在的主要问题及改进情况",
)
_F_H6A = ("存在的主要问题", "工作中存在的不足")
_F_H6B = ("下一步工作打算", "改进措施", "下一步工作计划")
_F_H7 = ("其他需要报告的事项", "其他需要说明的事项")
_F_SHORT = {
    "1": "概述",
    "2": "主动公开政府信息情况",
    "3": "依申请公开政府信息情况",
    "4": "收费及减免情况",
    "5": "行政复议和行政诉讼情况",
    "45": "收费及复议诉讼情况",
    "6": "存在的问题及改进措施",
    "6a": "存在的主要问题",
    "6b": "下一步工作打算",
    "7": "其他需要报告的事项",
}

_F_2008 = (
    "《中华人民共和国政府信息公开条例》于2008年5月1日起正式施行。为做好施行准备，{we}在年初即着手梳理本机关掌握的政府信息，编制了政府信息公开指南和公开目录，并在{lookup}设立了政府信息查阅场所，确保《条例》施行之日起公开工作能够正常运转。",
    "2008年是《条例》实施的第一年。自5月1日《条例》施行以来，{we}按照“边实施、边完善”的思路，先后完成了公开目录编制、受理场所设置和工作制度建设等基础工作，政府信息公开工作实现了良好开局。",
    "随着《中华人民共和国政府信息公开条例》自2008年5月1日起施行，政府信息公开由过去的政务公开探索转入依法公开阶段。{we}围绕《条例》的贯彻落实，组织{units}开展了政府信息清理，对{n_catalog}条信息逐一确定了公开属性。",
)
_F_INTRO = (
    "{Y}年，{we}{theme}，认真贯彻落实《中华人民共和国政府信息公开条例》，不断完善工作机制、丰富公开内容、拓展公开渠道，政府信息公开工作总体运行平稳。",
    "{Y}年，在{gov}的统一领导下，{scope}政府信息公开工作{theme}，坚持依法公开、真实公正、注重实效的原则，各项工作有序推进。",
    "一年来，{agency}把政府信息公开作为转变机关作风、提高行政效能的重要抓手，{theme}，进一步规范公开行为，较好地满足了群众的信息需求。",
    "{Y}年，{we}紧紧围绕{scope}中心工作，{theme}，把政府信息公开工作与{topic1}、{topic2}等重点工作结合起来，做到同部署、同落实。",
)
_F_ORG = (
    "调整了政府信息公开工作领导小组，由分管负责同志任组长，{office}负责日常工作，{units}均明确了一名分管领导和一名信息公开工作人员。",
    "把政府信息公开工作列入年度工作计划，在{meeting}上{n_meet}次听取工作汇报，研究解决网站建设、人员配备等具体问题。",
    "落实工作经费，将网站维护、查阅场所建设等费用纳入年度财政预算，保障了各项工作的正常开展。",
    "形成了主要领导亲自抓、分管领导具体抓、经办人员抓落实的工作格局，做到工作有人管、信息有人报、问题有人改。",
    "{units}普遍把政府信息公开列入领导班子议事日程，做到与业务工作同研究、同部署、同检查。",
    "各单位信息公开工作人员保持相对稳定，人员变动时及时办理工作交接并报{office}备案。",
)
_F_RULES = (
    "先后制定了《{owner}政府信息公开保密审查办法》《{owner}依申请公开政府信息工作规程》等制度，对信息的收集、审核、发布和申请的受理、答复作出了具体规定。",
    "建立健全政府信息发布协调、保密审查、考核评议和责任追究等配套制度，使政府信息公开工作有章可循。",
    "按照“谁制作、谁公开，谁保存、谁公开”的原则，明确了各环节的工作职责，要求信息在形成或变更之日起二十个工作日内予以公开。",
    "完善了政府信息公开指南和目录，对{units}的公开目录进行了更新，全年新增目录条目{n_catalog}条。",
    "实行信息发布前审查登记制度，拟公开的信息须经经办人初审、科室负责人复审和分管领导审定后方可发布。",
)
_F_TRAIN = (
    "组织举办政府信息公开业务培训{n_train}期，培训工作人员{n_trainp}人次，内容涵盖《条例》解读、信息分类编目和申请答复等。",
    "{office}采取随机抽查与定期检查相结合的方式，对{units}的公开情况开展检查{n_check}次，并对检查结果进行通报。",
    "把政府信息公开工作纳入年度目标管理考核，对工作开展不力的单位进行督促整改。",
    "在{site}设立意见箱，公布监督电话，主动接受社会各界对政府信息公开工作的监督和评议。",
    "年底组织对各单位公开目录的完整性、信息更新的及时性进行了专项评议，评议结果在一定范围内通报。",
)
_F_ACTIVE_NUM = (
    "{Y}年，{scope}共主动公开政府信息{n_active}条，其中{cats}。",
    "全年{scope}累计主动公开各类政府信息{n_active}条。从信息类别看，{cats}。",
    "据统计，{Y}年{we}主动公开政府信息{n_active}条，按类别分，{cats}。",
)
_F_CATS = ("机构职能类", "政策法规类", "规划计划类", "行政许可类", "财政资金类", "人事信息类", "工作动态类", "其他类")
_F_CHANNELS_OLD = (
    "{site}是主动公开政府信息的第一平台，全年通过网站发布信息{n_web}条，网站设置了政府信息公开专栏，群众可按类别检索所需信息。",
    "{gaz_sentence}",
    "在{lookup}设立政府信息公开查阅点，集中摆放{units}报送的纸质公开材料，全年接待查阅群众{n_lookup}人次。",
    "在办公场所和人员密集地点设置{board}，及时公布与群众生产生活密切相关的信息，全年更新{n_board}期。",
    "通过电视、广播、报纸等新闻媒体发布重要政策和重大活动信息，召开{press_word}{n_press}场。",
)
_F_CHANNELS_NEW = (
    "开通政务微博、政务微信等新媒体账号，全年通过新媒体推送信息{n_nm}条，拓宽了公众获取信息的渠道。",
    "依托{nm}等政务新媒体发布信息{n_nm}条，新媒体已成为群众获取政府信息的重要渠道。",
)
_F_KEY = (
    "围绕{topic1}、{topic2}、{topic3}等社会关注度高的领域，加大信息公开力度，全年公开重点领域信息{n_key}条。",
    "{units}按规定公开了部门预算和决算，{n_budget}个预算单位公开了“三公”经费相关信息。",
    "及时公开{topic4}有关的政策规定、办事程序和办理结果，便于群众监督。",
)
_F_CONTENT_LEAD = (
    "主动公开的重点内容包括：",
    "从公开内容看，重点突出了以下几个方面：",
    "全年主动公开工作突出了以下重点：",
)
_F_CONTENT = (
    "机构设置、工作职责、办事程序等基础信息，做到一目了然",
    "{topic1}、{topic2}等方面的政策措施和实施情况",
    "部门预算、决算和“三公”经费等财政信息",
    "重大项目的审批、招投标和建设进展情况",
    "行政许可、行政收费的依据、标准和程序",
    "人事任免、公务员招录和事业单位公开招聘信息",
    "突发公共事件的预警信息和应对处置情况",
    "规划计划、年度工作目标及其完成情况",
)
_F_APPLY_WORK = (
    "为做好依申请公开工作，{we}在{hall}设立了申请受理窗口，公布了受理机构的地址、电话和工作时间，并在{site}开通了网上申请通道。",
    "制定了依申请公开工作流程，明确了受理、登记、审查、答复等环节的办理要求和时限。",
    "申请表格可在受理窗口免费领取，也可以从网站下载填写。",
    "对每件申请都建立了办理台账，记录申请内容、承办单位、答复时间和答复方式。",
)
_F_INTERP = (
    "对出台的重要政策文件，同步发布解读材料{n_interp}篇，采用问答、图解等方式说明政策背景和主要内容。",
    "注重回应社会关切，对群众反映集中的问题通过网站、{press_word}等渠道主动说明情况，全年回复网民留言{n_msg}条。",
)
_F_APPLY_NONE = (
    "{Y}年，{scope}未收到政府信息公开申请。",
    "本年度{agency}没有收到公民、法人或者其他组织的政府信息公开申请，也没有发生不予公开的情况。",
    "{Y}年度{we}未受理政府信息公开申请，申请受理渠道保持畅通，受理窗口和网上申请系统运行正常。",
)
_F_APPLY = (
    "{Y}年，{scope}共受理政府信息公开申请{n_req}件，{ways}。已按期答复{n_req}件，{results}。",
    "全年共收到政府信息公开申请{n_req}件，均在规定期限内予以答复。从答复结果看，{results}。",
    "本年度{we}共受理依申请公开{n_req}件（{ways}），申请内容主要涉及{topic1}、{topic2}等方面。答复情况为：{results}。",
)
_F_WAYS = (("当面申请", "a_face"), ("网上申请", "a_net"), ("信函申请", "a_mail"))
_F_RESULTS = (
    ("同意公开", "r_yes"),
    ("同意部分公开", "r_part"),
    ("不予公开", "r_no"),
    ("信息不存在或不属于本机关公开范围", "r_none"),
)
_F_APPLY_NO_REASON = (
    "不予公开的申请，主要是涉及第三方合法权益或属于内部管理信息，已向申请人书面说明理由和救济途径。",
    "对决定不予公开的，均依法告知了申请人不予公开的理由和申请行政复议、提起行政诉讼的途径。",
)
_F_FEE_NONE = (
    "本年度{agency}在政府信息公开工作中未收取任何费用，也未发生减免情况。",
    "{Y}年，{we}在提供政府信息时未收取检索、复制、邮寄等费用。",
    "政府信息公开工作中没有收取任何费用。",
)
_F_FEE_SOME = ("本年度按照规定标准收取复制、邮寄费用{fee_y}元，对{fee_k}名经济困难的申请人减免了相关费用。",)
_F_REVIEW_NONE = (
    "本年度{agency}未发生因政府信息公开申请提起行政复议、行政诉讼的情况。",
    "{Y}年，{scope}没有因政府信息公开申请引发的行政复议、行政诉讼和申诉案件。",
    "全年未发生针对政府信息公开事项的行政复议和行政诉讼。",
)
_F_REVIEW_SOME = (
    "本年度因政府信息公开申请引发{cases}，经审理均维持了原答复。",
    "{Y}年发生与政府信息公开有关的{cases}，目前已全部审结，未出现被纠错的情况。",
)
_F_OTHER = (
    "本年度无其他需要报告的事项。",
    "{Y}年，{we}共办理{props}，办理结果已按要求向社会公开。",
    "按照上级要求，{we}完成了政府信息公开工作自查，对发现的问题已逐项整改。",
)


_F_EXTRA_OPEN = (
    "便民服务公开进一步规范。{hall}将办事项目的依据、条件、程序、时限和收费标准在大厅和网站同步公开，群众可以通过电子显示屏、触摸查询屏等设备自行查询，也可以向窗口工作人员当面咨询。",
    "同时，督促供水、供电、供气、公交等公共企事业单位公开服务承诺、收费标准和投诉电话，定期检查公开情况，接受群众监督。",
    "在推进行政权力公开透明运行方面，对行政许可、行政处罚等事项编制运行流程图，公开办理依据、承办机构和办理结果，全年公开行政权力运行信息{n_list}条。",
    "为扩大公众参与，对涉及群众切身利益的{topic4}等事项，在决策前通过网站公告、座谈会等形式征求意见，全年公开征求意见{n_events}次，并将意见采纳情况向社会反馈。",
    "围绕{topic5}等群众关心的事项，编印了政策汇编和办事指南，在{hall}和{lookup}免费发放，方便群众了解办事要求。",
    "对社会关注的突发事件和热点问题，{we}坚持及时、准确、客观地发布信息，主动说明事件进展和处置情况，正确引导社会舆论。",
    "查阅场所的服务功能不断完善。查阅点配备了专门的查阅设备和工作人员，工作日全天开放，为群众提供查阅、复制和咨询服务，全年提供咨询服务{n_consult}人次。",
)
# Further sub-points of the overview: (title, body).
_F_EXTRA_BASE = (
    (
        "改进公开载体",
        "对{site}进行了改版升级，优化了信息公开栏目设置，增设了在线申请、意见征集等功能，全年网站访问量约{n_visits}万人次。{units}结合实际，把政府信息公开与{board}、办事公开结合起来，群众办事前可以先在公开栏查阅相关要求。",
    ),
    (
        "规范信息发布",
        "建立了新闻发言人制度，明确了新闻发言人和联络员，对重要政策和重大事项统一口径发布信息；对拟发布的信息实行先审后发，确保发布内容准确无误。",
    ),
    (
        "加强宣传引导",
        "利用“法治宣传日”等时机，通过发放宣传资料、设立咨询台等方式宣传《条例》，引导群众通过合法途径获取政府信息，全年发放宣传资料{n_board}00余份。",
    ),
)


def _categories(rng: random.Random, total: int) -> str:
    cats = rng.sample(_F_CATS, rng.randint(4, 6))
    weights = [rng.uniform(0.5, 3.0) for _ in cats]
    ws = sum(weights)
    counts = [int(total * w / ws) for w in weights]
    counts[-1] = total - sum(counts[:-1])
    parts = []
    for c, n in zip(cats, counts):
        pct = 100.0 * n / total if total else 0.0
        parts.append(f"{c}信息{n}条，占{pct:.1f}%")
    return "；".join(parts)


def _free_report(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    y = ctx.report_year
    s = dict(s)
    if s["gaz"]:
        s["gaz_sentence"] = _fill(
            "编印{gaz}{n_gaz}期，刊登规范性文件和重要政府信息{n_gazdoc}件，向{lookup}等场所免费赠阅。", s
        )
    else:
        s["gaz_sentence"] = _fill(
            "在{hall}设置电子显示屏，滚动播放惠民政策、办事指南和资金发放等信息，方便群众随时了解。", s
        )
    # requests (made up for free reports)
    k = _scale(ctx)
    n_req = 0 if rng.random() < 0.3 else rng.randint(1, max(2, int(40 * k)))
    face = rng.randint(0, n_req)
    net = rng.randint(0, n_req - face)
    yes = rng.randint(n_req // 2, n_req) if n_req else 0
    part = rng.randint(0, n_req - yes)
    no = rng.randint(0, n_req - yes - part)
    s.update(
        n_req=n_req,
        a_face=face,
        a_net=net,
        a_mail=n_req - face - net,
        r_yes=yes,
        r_part=part,
        r_no=no,
        r_none=n_req - yes - part - no,
    )

    # structure
    layout = ["1", "2", "3", "4", "5", "6", "7"]
    r = rng.random()
    if r < 0.25:
        layout = ["1", "2", "3", "45", "6", "7"]
    elif r < 0.45:
        layout = ["1", "2", "3", "4", "5", "6"]
    elif r < 0.6:
        layout = ["1", "2", "3", "4", "5", "6a", "6b"]
    elif r < 0.7:
        layout = ["1", "2", "3", "45", "6"]
    head_text = {
        "1": rng.choice(_F_H1),
        "2": rng.choice(_F_H2),
        "3": rng.choice(_F_H3),
        "4": rng.choice(_F_H4),
        "5": rng.choice(_F_H5),
        "45": rng.choice(_F_H45),
        "6": rng.choice(_F_H6),
        "6a": rng.choice(_F_H6A),
        "6b": rng.choice(_F_H6B),
        "7": rng.choice(_F_H7),
    }
    parts = "、".join(_F_SHORT[x] if x != "1" else head_text["1"] for x in layout)
    blocks = [_opening(rng, s, parts, len(layout))]

    problems = _PROBLEMS_OLD if y <= 2014 else _PROBLEMS_OLD[:3] + _PROBLEMS[:6]
    pk = rng.randint(3, 4)
    pidx = sorted(rng.sample(range(len(problems)), pk))
    probs = [_fill(problems[i][0], s) for i in pidx]
    meas = [_fill(problems[i][1], s) for i in pidx]

    for i, key in enumerate(layout):
        blocks.append(_heading(i, head_text[key]))
        if key == "1":
            if y == 2008:
                blocks.append(Block("p", _one(rng, _F_2008, s)))
            else:
                blocks.append(Block("p", _one(rng, _F_INTRO, s)))
            subs = (("加强组织领导", _F_ORG), ("健全工作制度", _F_RULES), ("强化培训和监督检查", _F_TRAIN))
            numbered = rng.random() < 0.6
            for j, (title, bank) in enumerate(subs):
                body = _some(rng, bank, rng.randint(2, 4), s)
                blocks.append(Block("p", f"{_SUB_NUMS[j]}{title}。{body}" if numbered else body))
            for j, (title, body) in enumerate(_some_pairs(rng, _F_EXTRA_BASE, rng.choice((0, 1, 2, 2, 3)))):
                body = _fill(body, s)
                blocks.append(Block("p", f"{_SUB_NUMS[j + 3]}{title}。{body}" if numbered else body))
            if y == 2008 and rng.random() < 0.5:
                blocks.append(Block("p", _one(rng, _F_INTRO, s)))
        elif key == "2":
            blocks.append(Block("p", _fill(rng.choice(_F_ACTIVE_NUM), {**s, "cats": _categories(rng, s["n_active"])})))
            channels = list(_F_CHANNELS_OLD)
            if 2011 <= y <= 2012:
                channels.append("开通了政务微博，及时发布工作动态和便民信息，全年发布微博{n_nm}条。")
            elif y >= 2013:
                channels.append(_F_CHANNELS_NEW[0 if y < 2016 else 1])
            chan = _some(rng, tuple(channels), rng.randint(3, 4), s)
            extra = _some(rng, _F_KEY, rng.randint(1, 2), s)
            if y >= 2013:
                extra += _some(rng, _F_INTERP, rng.randint(1, 2), s)
                blocks.append(Block("p", chan))
            else:
                extra = chan + extra
            if rng.random() < 0.7:
                items = _some_list(rng, _F_CONTENT, rng.randint(3, 4), s)
                blocks.append(Block("p", rng.choice(_F_CONTENT_LEAD) + _enum(items) + "。"))
            blocks.append(Block("p", extra))
        elif key == "3":
            if n_req == 0:
                blocks.append(Block("p", _one(rng, _F_APPLY_NONE, s)))
            else:
                ways = "、".join(f"{w}{s[k]}件" for w, k in _F_WAYS if s[k])
                results = "，".join(f"{w}{s[k]}件" for w, k in _F_RESULTS if s[k])
                if sum(1 for _, k in _F_WAYS if s[k]) == 1:
                    ways = "均为" + ways.split("申请")[0] + "申请"
                txt = _fill(rng.choice(_F_APPLY), {**s, "ways": ways, "results": results})
                if no:
                    txt += _one(rng, _F_APPLY_NO_REASON, s)
                blocks.append(Block("p", txt))
            if rng.random() < 0.7:
                blocks.append(Block("p", _some(rng, _F_APPLY_WORK, rng.randint(2, 3), s)))
        elif key in ("4", "45"):
            if n_req and rng.random() < 0.08:
                fee = _fill(_F_FEE_SOME[0], {**s, "fee_y": rng.randint(20, 300), "fee_k": rng.randint(1, 3)})
            else:
                fee = _one(rng, _F_FEE_NONE, s)
            if key == "4":
                blocks.append(Block("p", fee))
            else:
                blocks.append(Block("p", fee + _review(rng, s)))
        elif key == "5":
            blocks.append(Block("p", _review(rng, s)))
        elif key == "6":
            blocks += _problems_free(rng, s, probs, meas)
        elif key == "6a":
            blocks.append(Block("p", _one(rng, _T5_INTRO, s) + _enum(probs) + "。"))
        elif key == "6b":
            blocks.append(Block("p", _one(rng, _T5_MEASURE_INTRO, s)))
            for j, m in enumerate(meas):
                blocks.append(Block("p", f"{_SUB_NUMS[j]}{m}。"))
        elif key == "7":
            blocks.append(Block("p", _one(rng, _F_OTHER, s)))
    blocks = _pad(rng, blocks, _F_EXTRA_OPEN, s, rng.randint(1650, 2400), "三、", most=5)
    blocks += _signature(rng, ctx)
    return blocks


def _review(rng: random.Random, s: dict) -> str:
    if rng.random() < 0.85:
        return _one(rng, _F_REVIEW_NONE, s)
    rec = rng.randint(0, 2)
    lit = rng.randint(1 if rec == 0 else 0, 2)
    cases = _cases(rec, lit)
    return _fill(rng.choice(_F_REVIEW_SOME), {**s, "cases": cases})


def _problems_free(rng: random.Random, s: dict, probs: list[str], meas: list[str]) -> list[Block]:
    intro = _one(rng, _T5_INTRO, s)
    if rng.random() < 0.5:
        return [Block("p", intro + _enum(probs) + "。" + _one(rng, _T5_MEASURE_INTRO, s) + _enum(meas) + "。")]
    out = [Block("p", intro + _enum(probs) + "。"), Block("p", _one(rng, _T5_MEASURE_INTRO, s))]
    out += [Block("p", f"{_SUB_NUMS[j]}{m}。") for j, m in enumerate(meas)]
    return out


# ---------------------------------------------------------------------------------------------
# Public: reports
# ---------------------------------------------------------------------------------------------


def report_blocks(rng: random.Random, ctx: DocContext) -> list[Block]:
    """The whole body of one annual report, in order (headings, paragraphs, table slots, signature)."""
    s = _slots(rng, ctx)
    if ctx.template in ("2019", "2021"):
        return _template_report(rng, ctx, s)
    return _free_report(rng, ctx, s)


def report_title(ctx: DocContext, variant: int) -> str:
    """A report title as real sites write it; ``variant`` picks the form (taken modulo the number of forms)."""
    y = ctx.report_year
    if ctx.level == "department":
        forms = (
            f"{ctx.agency}{y}年政府信息公开工作年度报告",
            f"{ctx.agency}{y}年度政府信息公开工作年度报告",
            f"{ctx.agency}{y}年度政府信息公开工作报告",
            f"{ctx.agency}{y}年政府信息公开年度报告",
            f"{y}年{ctx.agency}政府信息公开工作年度报告",
        )
    else:
        p, a = ctx.place, ctx.agency
        forms = (
            f"{p}{y}年政府信息公开工作年度报告",
            f"{a}{y}年政府信息公开工作年度报告",
            f"{p}{y}年度政府信息公开工作年度报告",
            f"{a}{y}年度政府信息公开工作报告",
            f"{p}{y}年政府信息公开年度报告",
            f"{y}年{a}政府信息公开工作年度报告",
        )
    return forms[variant % len(forms)]


# ---------------------------------------------------------------------------------------------
# Look-alike documents (not annual reports)
# ---------------------------------------------------------------------------------------------

_SYLLABLES = "东西南北龙凤石桥河山林平安新兴和清水云花杨柳青白金马沙岭塘湖丰富红星长乐永宁华阳"


def _made_up_units(rng: random.Random, ctx: DocContext, s: dict, n: int) -> list[str]:
    """Names of subordinate units for rankings: towns, counties, villages or sections (made up)."""
    lv = ctx.level
    if lv == "department":
        pool = [f"{w}" for w in (s["dept1"], s["dept2"], s["dept3"], s["dept4"])]
        pool += [f"{s['short']}{x}" for x in ("监测站", "执法支队", "服务中心", "事务中心", "技术站", "研究所")]
        rng.shuffle(pool)
        return pool[:n]
    names: list[str] = []
    seen: set[str] = set()
    suffixes = {
        "township": ("村", "村", "社区"),
        "county": ("镇", "镇", "乡", "街道"),
        "prefecture": ("县", "县", "区", "市"),
        "province": ("市", "市", "州"),
    }.get(lv, ("镇",))
    depts = [s[f"dept{i}"] for i in range(1, 5)]
    while len(names) < n:
        if lv != "township" and depts and rng.random() < 0.35:
            name = depts.pop()
        else:
            a, b = rng.sample(_SYLLABLES, 2)
            name = a + b + rng.choice(suffixes)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _addressees(ctx: DocContext, s: dict) -> str:
    u = s["unit"]
    return {
        "province": f"各设区市人民政府，{u}政府各部门、各直属机构：",
        "prefecture": f"各县（市、区）人民政府，{u}政府各部门：",
        "county": f"各乡镇人民政府、街道办事处，{u}政府各部门：",
        "township": f"各村（社区），{u}属各单位：",
    }.get(ctx.level, f"{s['units'].replace('和', '、')}：")


# 工作要点 ---------------------------------------------------------------------------------------
_PLAN_INTRO = (
    "为深入贯彻《中华人民共和国政府信息公开条例》，落实国家和{prov}关于政务公开的各项部署，进一步做好{Y}年{scope}政务公开工作，结合{we}实际，制定本要点。",
    "{Y}年{scope}政务公开工作的总体要求是：{theme}，坚持以人民为中心，围绕{topic1}、{topic2}等重点任务，以公开促落实、以公开促规范、以公开促服务。现将主要任务安排如下。",
    "做好{Y}年政务公开工作，要紧扣{scope}中心工作，{theme}，推动政务公开更好服务经济社会发展。根据上级部署，制定本工作要点。",
)
_PLAN_GROUPS = (
    (
        "围绕中心工作深化公开",
        (
            (
                "推进{topic1}信息公开",
                "及时公开{topic1}相关政策文件、资金安排和实施进展，对社会关注度高的事项做到决策、执行和结果全过程公开。责任单位：{dept1}。",
            ),
            (
                "做好{topic2}信息公开",
                "围绕{topic2}梳理公开事项清单，明确公开内容、公开时限和责任主体，按季度更新工作进展。责任单位：{dept2}。",
            ),
            (
                "深化财政信息公开",
                "各预算单位要在预算、决算批复后二十日内公开部门预决算和“三公”经费情况，支出细化到功能分类项级科目。责任单位：{fin}，各预算单位。",
            ),
            (
                "加强行政执法信息公开",
                "全面落实行政执法公示制度，执法主体、依据、程序和结果按规定时限在网上公示，接受社会监督。责任单位：各行政执法单位。",
            ),
            (
                "做好{topic3}信息公开",
                "梳理{topic3}相关的政策依据、工作流程和办理结果，分类分项集中公开，方便群众查询和监督。责任单位：{dept4}。",
            ),
        ),
    ),
    (
        "加强政策解读和回应关切",
        (
            (
                "提高政策解读质量",
                "坚持谁起草、谁解读，政策文件与解读材料同步报批、同步发布；对专业性较强的文件，采用图表、音视频等形式进行解读，全年解读数量不少于{n_interp}篇。",
            ),
            (
                "及时回应社会关切",
                "健全舆情收集、研判和回应机制，对涉及{scope}的重要舆情，第一时间发布权威信息，说明事实真相和处置进展。",
            ),
            (
                "办好新闻发布活动",
                "全年召开{press_word}不少于{n_press}场，主要负责同志每年至少出席一次，就重大政策措施进行说明解读。",
            ),
            (
                "扩大公众参与",
                "涉及群众切身利益的重要决策事项，出台前一律公开征求意见，征求意见期限一般不少于30日，并反馈意见采纳情况。",
            ),
        ),
    ),
    (
        "夯实政务公开工作基础",
        (
            (
                "规范依申请公开办理",
                "严格落实登记、审核、答复、归档等环节要求，答复文书做到要素完整、依据准确、说理充分，依法保障申请人合法权益。",
            ),
            (
                "按时发布年度报告",
                "严格按照《条例》规定的时限和统一格式，按时编制发布政府信息公开工作年度报告，确保数据准确、内容完整、勾稽关系正确。",
            ),
            (
                "加强公开平台建设",
                "加强政府网站和政务新媒体内容保障，落实信息发布审核制度，及时清理错敏信息，对长期不更新的账号予以关停整合。",
            ),
            (
                "推进基层政务公开标准化",
                "对照相关领域基层政务公开标准指引，动态更新{base}政务公开事项目录，推动公开事项向村（社区）延伸。",
            ),
            (
                "更新公开指南和目录",
                "根据机构职能调整情况，及时更新政府信息公开指南和主动公开目录，方便群众查找和申请。",
            ),
        ),
    ),
    (
        "强化组织保障",
        (
            ("加强组织领导", "{sub}要明确分管负责同志和具体工作人员，人员发生变动的，要在十个工作日内报{office}备案。"),
            ("强化督促考核", "{office}按季度开展检查，检查结果纳入年度绩效考核，对工作不力、问题突出的单位予以通报。"),
            ("加强业务培训", "全年组织集中培训不少于{n_train}次，重点提升{base}工作人员的答复规范和信息发布水平。"),
        ),
    ),
)
_PLAN_END = (
    "各单位要对照本要点，结合实际制定具体落实措施，明确责任人和完成时限，并于{Y}年12月15日前将落实情况书面报送{office}。",
    "各责任单位要认真抓好本要点的贯彻落实，落实情况纳入年度政务公开考核内容。",
    "本要点由{office}负责解释和督促落实，执行中遇到的问题请及时反馈。",
)


def _plan(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    blocks = [Block("p", _one(rng, _PLAN_INTRO, s))]
    for gi, (title, tasks) in enumerate(_PLAN_GROUPS):
        blocks.append(_heading(gi, title))
        chosen = sorted(rng.sample(range(len(tasks)), rng.randint(min(3, len(tasks)), len(tasks))))
        if gi == 2 and 1 not in chosen:  # the annual-report task is always there
            chosen = sorted(chosen + [1])
        for j, ti in enumerate(chosen):
            head, body = tasks[ti]
            blocks.append(Block("p", f"{_SUB_NUMS[j]}{_fill(head, s)}。{_fill(body, s)}"))
    blocks.append(Block("p", _one(rng, _PLAN_END, s)))
    if rng.random() < 0.5:
        blocks += [Block("sign", ctx.office), Block("sign", _date_text(rng, ctx.published))]
    return blocks


# 落实情况的函 -------------------------------------------------------------------------------------
_LETTER_OPEN = (
    "根据贵办《关于做好{Y}年政务公开工作的通知》要求，{agency}对照年度工作要点，对各项任务的落实情况进行了认真梳理。现将有关情况函告如下：",
    "按照{upper}关于报送{Y}年政务公开工作落实情况的通知要求，{we}组织{units}开展了自查。现将落实情况报告如下：",
    "现将{we}{Y}年政务公开重点工作落实情况函复如下：",
)
_LETTER_TASKS = (
    "（{i}）重点领域信息公开。围绕{topic1}、{topic2}等领域，{we}梳理了公开事项清单，明确了责任单位和公开时限，截至目前共公开相关信息{n_key}条，相关专栏均按要求及时更新，未出现长期空白栏目。",
    "（{i}）政策解读和回应关切。坚持政策文件与解读材料同步发布，今年以来发布政策解读材料{n_interp}篇，召开{press_word}{n_press}场，通过网站和热线回复群众留言{n_msg}条，群众反映的问题均得到及时处理。",
    "（{i}）平台建设。完成{site}栏目优化调整，规范了信息发布要素，整合关停长期不更新的政务新媒体账号{n_closed}个；落实日常巡查制度，网站和新媒体全年未出现严重错误表述。",
    "（{i}）依申请公开。进一步规范受理、审核、答复等办理流程，统一答复文书格式，疑难申请经集体研究后答复，全年申请均在法定期限内办结，未发生因答复不当引起的复议诉讼败诉。",
    "（{i}）基层政务公开。推动{base}政务公开标准化规范化建设，公开事项目录已全部完成梳理和上网，{sub}公开栏按要求定期更新，群众办事查询更加方便。",
    "（{i}）组织保障。调整了政务公开工作领导小组，明确专兼职工作人员{n_persons}名；组织业务培训{n_train}次、{n_trainp}人次；将政务公开纳入年度绩效考核，按季度开展检查并通报结果。",
    "（{i}）公众参与。对{topic3}等涉及群众切身利益的事项，在决策前公开征求意见{n_events}次，并在网站公布意见采纳情况，增强了决策的公开性和透明度。",
    "（{i}）政府信息管理。完成规范性文件清理，清理文件{n_cleaned}件并公布结果；更新了政府信息公开指南和主动公开目录，公文公开属性源头认定制度得到有效落实。",
)
_LETTER_REPORT = (
    "按照《条例》规定，{we}已于{pub_date}在{site}发布{Yp}年政府信息公开工作年度报告，报告采用国务院办公厅规定的统一格式，数据经逐项核对。",
    "{Yp}年度政府信息公开工作年度报告已按时编制完成，并于{pub_date}在{site}“政府信息公开年报”栏目向社会公布，同时报送{upper}备案。",
)
_LETTER_PROBLEM = (
    "对照要求，我们的工作还存在一些差距：政策解读形式不够丰富，图解、视频类解读占比较低；{base}公开内容更新不够及时，个别栏目信息量偏少；政务公开工作人员多为兼职，业务水平有待提高。",
    "自查中也发现，个别单位信息发布审核不够严格，{topic3}等领域信息公开的深度还有不足，对群众关切的回应还不够主动及时。",
)
_LETTER_NEXT = (
    "下一步，{we}将对照上级要求，逐项补齐短板：一是加强业务培训，提升工作人员能力；二是丰富解读形式，提高政策解读质量；三是强化督促检查，确保公开工作常态长效。",
    "我们将以此次自查为契机，认真整改存在的问题，进一步完善工作机制，加强平台管理和队伍建设，确保全年各项任务全部完成，推动政务公开工作水平持续提升。",
)


def _letter(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    if ctx.level == "county":
        to = f"{s['city']}人民政府办公室："
    elif ctx.level == "prefecture":
        to = f"{s['prov']}人民政府办公厅："
    elif ctx.level == "province":
        to = "国务院办公厅政府信息与政务公开办公室："
    else:
        to = s["upper"] + "："
    y = ctx.report_year
    d = datetime.date(y, rng.randint(1, 3), rng.randint(10, 28))
    s = {**s, "pub_date": f"{d.month}月{d.day}日"}
    blocks = [Block("p", to), Block("p", _one(rng, _LETTER_OPEN, s)), Block("h", "一、重点任务落实情况")]
    idx = sorted(rng.sample(range(len(_LETTER_TASKS)), rng.randint(6, 8)))
    for j, i in enumerate(idx):
        blocks.append(Block("p", _fill(_LETTER_TASKS[i], {**s, "i": _HEAD_NUMS[j]})))
    blocks += [
        Block("h", "二、政府信息公开工作年度报告发布情况"),
        Block("p", _one(rng, _LETTER_REPORT, s)),
        Block("h", "三、存在的问题和下一步打算"),
        Block("p", _one(rng, _LETTER_PROBLEM, s) + _one(rng, _LETTER_NEXT, s)),
        Block("p", "特此函告。" if rng.random() < 0.6 else "专此函复。"),
        Block("sign", ctx.office),
        Block("sign", _date_text(rng, ctx.published)),
    ]
    return blocks


# 工作总结 ---------------------------------------------------------------------------------------
_SUMMARY_INTRO = (
    "{Y}年，{we}{theme}，认真落实上级关于政务公开工作的部署，各项工作稳步推进。现将全年工作总结如下。",
    "今年以来，在{gov}的领导下，{scope}政务公开工作紧扣中心、服务大局，较好完成了年初确定的目标任务。",
    "{Y}年是{we}政务公开工作提质增效的一年。我们坚持问题导向，补短板、强弱项，推动政务公开工作取得了新成效。",
)
_SUMMARY_RESULT = (
    "总的来看，全年政务公开工作呈现出三个特点：一是公开数量稳步增长，主动公开信息{n_active}条；二是公开质量有所提升，解读回应更加及时；三是群众参与更加广泛，网站和热线受理诉求{n_hot}件。",
    "经过一年的努力，{scope}政务公开工作的制度更加健全、平台更加规范、队伍更加稳定，在上级组织的政务公开考核中取得了较好成绩。",
    "全年{we}把政务公开工作列入重要议事日程，在{meeting}上{n_meet}次专题研究，主要负责同志多次作出安排部署，为各项工作的落实提供了有力保障。",
)
_SUMMARY_WORKS = (
    (
        "抓好主动公开",
        "坚持应公开尽公开，全年在{site}发布各类信息{n_active}条，其中政策文件{n_docs}件、工作动态{n_news}条；通过{nm}推送信息{n_nm}条。对公开信息实行分级审核，确保内容准确、发布及时。",
    ),
    (
        "深化重点领域公开",
        "聚焦{topic1}、{topic2}、{topic3}等领域，公开相关信息{n_key}条。对群众关注度高的事项，做到政策依据、办理流程和办理结果全链条公开，专题专栏内容做到及时更新。",
    ),
    (
        "加强解读回应",
        "发布政策解读{n_interp}篇，其中图解和视频解读{n_graph}篇；召开{press_word}{n_press}场，受理热线诉求{n_hot}件，按期办结率{pct}%。对网络上出现的不实信息，及时发布权威说明，澄清事实。",
    ),
    (
        "规范依申请公开",
        "严格按照法定程序和时限办理公开申请，答复文书统一格式、统一审核，疑难申请组织会商并听取法律顾问意见，全年未发生因答复不规范引起的纠纷。",
    ),
    (
        "完善制度机制",
        "修订完善政府信息发布审核、保密审查、依申请公开办理等制度，清理规范性文件{n_cleaned}件并公布结果，更新公开指南和主动公开目录，公开工作的制度基础更加扎实。",
    ),
    (
        "强化队伍建设",
        "组织业务培训{n_train}次、{n_trainp}人次，开展季度检查{n_check}次，通报整改问题{n_issue}个。对检查中发现问题较多的单位进行约谈，督促落实整改。",
    ),
    (
        "推进平台整合",
        "优化网站栏目{n_cols}个，关停整合长期不更新的政务新媒体{n_closed}个，在{hall}设置政府信息查阅点，配备自助查询设备{n_term}台，方便群众就近查阅。",
    ),
)
_SUMMARY_PERIOD = (
    "（本总结所列数据统计时间为{Y}年1月1日至{Y}年11月30日。）",
    "以上数据截至{Y}年12月20日。",
    "（数据统计至{Y}年11月底。）",
)
_SUMMARY_WEAK = (
    "工作中还存在一些不足：一是{base}政务公开人员力量较为薄弱，人员调整后业务衔接不够顺畅；二是政策解读的针对性和可读性还需增强，解读形式偏重文字；三是政务新媒体互动回应有待加强，个别账号更新频次偏低。",
    "回顾全年工作，主要问题是：公开内容与群众需求还有差距，部分单位信息更新不够及时；依申请公开答复的说理性有待加强；考核督促的力度还需加大，个别问题反复出现。",
)
_SUMMARY_NEXT = (
    "{Y1}年，{we}将继续以公开促落实、以公开促服务，重点抓好以下工作：一是按时编制发布政府信息公开工作年度报告，确保数据准确、格式规范；二是深化{topic4}等重点领域公开，推动公开内容向基层延伸；三是加强政务公开队伍建设，分层分类开展业务培训；四是强化考核督查，推动问题整改到位。",
    "明年，我们将进一步健全工作机制，丰富解读形式，加强平台管理，突出{topic4}、{topic5}等领域的信息发布，持续做好依申请公开办理工作，推动{scope}政务公开工作再上新台阶。",
)


def _summary(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    blocks = [
        Block("p", _one(rng, _SUMMARY_INTRO, s) + _one(rng, _SUMMARY_RESULT, s)),
        Block("h", "一、主要工作开展情况"),
    ]
    idx = sorted(rng.sample(range(len(_SUMMARY_WORKS)), rng.randint(6, 7)))
    for j, i in enumerate(idx):
        head, body = _SUMMARY_WORKS[i]
        blocks.append(Block("p", f"{_SUB_NUMS[j]}{head}。{_fill(body, s)}"))
    if rng.random() < 0.7:
        blocks.append(Block("p", _one(rng, _SUMMARY_PERIOD, s)))
    blocks += [
        Block("h", "二、存在的不足"),
        Block("p", _one(rng, _SUMMARY_WEAK, s)),
        Block("h", f"三、{ctx.report_year + 1}年工作打算"),
        Block("p", _one(rng, _SUMMARY_NEXT, s)),
    ]
    if rng.random() < 0.6:
        blocks += [Block("sign", rng.choice((ctx.office, ctx.agency))), Block("sign", _date_text(rng, ctx.published))]
    return blocks


# 考核通报 ---------------------------------------------------------------------------------------
_ASSESS_INTRO = (
    "为推动政务公开各项任务落到实处，根据《{place}政务公开工作考核办法》，{office}于{Y1}年1月对{units}{Y}年度政务公开工作进行了考核。经{gov}同意，现将考核情况通报如下：",
    "按照年度政务公开考核工作安排，{office}组织对{n_units}个单位的{Y}年政务公开工作进行了综合考核，现将有关情况通报如下：",
)
_ASSESS_METHOD = (
    "此次考核采取日常监测与年终检查相结合、网站检查与材料审查相结合的方式进行，重点检查了主动公开、政策解读、依申请公开、平台建设和年度报告编制发布等内容，并邀请第三方机构对网站和政务新媒体进行了抽样评估。",
    "考核以平时检查得分为基础，结合年终集中检查和第三方评估结果综合评定。考核组逐一查看了各单位网站信息公开专栏，核查了各单位{Y}年度政府信息公开工作年度报告的发布时间、格式和数据勾稽关系。",
)
_ASSESS_PROBLEMS = (
    "一是部分单位年度报告格式不规范，个别报告统计表数据前后不一致；",
    "二是个别单位信息更新不及时，部分栏目长期空白或内容与栏目名称不符；",
    "三是政策解读质量不高，存在以转载代替解读、解读内容简单复制原文的现象；",
    "四是依申请公开答复不够规范，个别答复未告知救济途径；",
    "五是部分政务新媒体更新频次偏低，互动回复不够及时。",
)
_ASSESS_CONTENT = (
    "考核内容包括组织领导、主动公开、政策解读与回应关切、依申请公开、平台建设和监督保障六个方面，满分100分。其中，主动公开和政策解读两项分值合计占一半以上，年度报告编制发布情况单独设置了评分项。",
    "考核指标按照年度政务公开工作要点确定，重点考核重点领域信息公开、政策解读质量、依申请公开答复规范、网站和政务新媒体管理等内容，并对年度报告的按时发布和数据准确性进行专项评分。",
)
_ASSESS_REQ = (
    "（一）认真抓好整改。各单位要认真对照考核发现的问题，举一反三，于{Y1}年3月底前完成整改，并将整改情况书面报送{office}。考核结果较差的单位，要向{gov}作出书面说明。",
    "（二）压实工作责任。各单位主要负责同志要亲自过问政务公开工作，分管负责同志要具体抓落实，确保机构、人员和经费保障到位，人员调整的要及时做好工作交接。",
    "（三）规范年度报告。各单位要严格按照国务院办公厅规定的格式编制年度报告，认真核对统计数据，确保表格数据与正文表述一致，并在法定期限内公开。",
    "（四）加强学习交流。希望受到表扬的单位再接再厉，其他单位要以先进为榜样，查找差距、补齐短板。{office}将适时对整改情况进行复查，复查结果纳入下一年度考核。",
)


_ASSESS_RESULT = (
    "经综合评定，{good}等{ng}个单位工作扎实、成效明显，考核等次为优秀；{fine}等单位考核等次为良好；{poor}考核得分较低，等次为较差，予以通报批评。",
    "根据考核得分，{good}被评为优秀等次，{fine}为良好等次，{poor}为较差等次。对优秀等次单位予以通报表扬，较差等次单位要认真查找原因。",
    "考核结果分为优秀、良好、合格、较差四个等次。其中，优秀等次{ng}个：{good}；良好等次：{fine}；较差等次：{poor}。",
)
_ASSESS_SCORE = "参加考核的{n_units}个单位平均得分{avg}分，最高得分{top}分。"


def _assessment(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    names = _made_up_units(rng, ctx, s, rng.randint(8, 12))
    ng = rng.randint(2, 4)
    npoor = rng.randint(1, 3)
    ranks = {
        **s,
        "good": "、".join(names[:ng]),
        "ng": ng,
        "fine": "、".join(names[ng:-npoor]),
        "poor": "、".join(names[-npoor:]),
        "avg": f"{rng.uniform(78, 90):.1f}",
        "top": f"{rng.uniform(94, 99):.1f}",
    }
    problems = "".join(_ASSESS_PROBLEMS[: rng.randint(3, 5)]).rstrip("；。")
    blocks = [
        Block("p", _addressees(ctx, s)),
        Block("p", _one(rng, _ASSESS_INTRO, s)),
        Block("h", "一、考核基本情况"),
        Block("p", _one(rng, _ASSESS_CONTENT, s)),
        Block("p", _one(rng, _ASSESS_METHOD, s) + _fill(_ASSESS_SCORE, ranks)),
        Block("h", "二、考核结果"),
        Block("p", _one(rng, _ASSESS_RESULT, ranks)),
        Block("h", "三、存在的主要问题"),
        Block("p", f"从考核情况看，{problems}。"),
        Block("h", "四、工作要求"),
    ]
    blocks += [Block("p", _fill(x, s)) for x in _ASSESS_REQ]
    blocks += [Block("sign", ctx.office), Block("sign", _date_text(rng, ctx.published))]
    return blocks


# 统计公报 and 政府工作报告 share an economy -------------------------------------------------------


def _economy(rng: random.Random, ctx: DocContext, y: int) -> dict:
    lv = "prefecture" if ctx.level == "department" else ctx.level
    gdp_range = {"province": (10000, 60000), "prefecture": (800, 4000), "county": (150, 900), "township": (20, 90)}[lv]
    pop_range = {"province": (2000, 8000), "prefecture": (150, 600), "county": (25, 120), "township": (2, 8)}[lv]
    grain_range = {"province": (1000, 4000), "prefecture": (100, 400), "county": (20, 80), "township": (1, 6)}[lv]
    f = 1.07 ** (y - 2022)
    gdp = rng.uniform(*gdp_range) * f
    if y == 2020:
        g = rng.uniform(1.5, 4.0)
    elif y == 2022:
        g = rng.uniform(2.5, 5.0)
    elif y >= 2012:
        g = rng.uniform(5.5, 8.5)
    else:
        g = rng.uniform(9.0, 13.0)
    s1, s2 = rng.uniform(5, 18), rng.uniform(32, 48)
    s3 = 100 - s1 - s2
    pop = rng.uniform(*pop_range)
    e = {
        "gdp": f"{gdp:.2f}",
        "g": f"{g:.1f}",
        "v1": f"{gdp * s1 / 100:.2f}",
        "g1": f"{rng.uniform(2.0, 4.5):.1f}",
        "v2": f"{gdp * s2 / 100:.2f}",
        "g2": f"{g + rng.uniform(-1.5, 2.0):.1f}",
        "v3": f"{gdp * s3 / 100:.2f}",
        "g3": f"{g + rng.uniform(-1.0, 1.5):.1f}",
        "s1": f"{s1:.1f}",
        "s2": f"{s2:.1f}",
        "s3": f"{s3:.1f}",
        "percap": f"{gdp * 1e8 / (pop * 1e4):.0f}",
        "pop": f"{pop:.2f}",
        "birth": f"{rng.uniform(5.5, 12.0):.2f}",
        "death": f"{rng.uniform(5.5, 8.0):.2f}",
        "urban": f"{rng.uniform(45, 75):.2f}",
        "grain": f"{rng.uniform(*grain_range):.2f}",
        "grain_g": f"{rng.uniform(0.2, 3.5):.1f}",
        "ind_g": f"{g + rng.uniform(-1.0, 2.5):.1f}",
        "inv_g": f"{rng.uniform(0.8, 12.0):.1f}",
        "retail": f"{gdp * rng.uniform(0.3, 0.45):.2f}",
        "retail_g": f"{rng.uniform(0.5, 10.0):.1f}",
        "rev": f"{gdp * rng.uniform(0.05, 0.09):.2f}",
        "rev_g": f"{rng.uniform(0.5, 9.0):.1f}",
        "exp": f"{gdp * rng.uniform(0.12, 0.2):.2f}",
        "minsheng": f"{rng.uniform(72, 82):.1f}",
        "dep": f"{gdp * rng.uniform(1.1, 1.7):.2f}",
        "loan": f"{gdp * rng.uniform(0.8, 1.4):.2f}",
        "inc_u": f"{rng.uniform(36000, 52000) * f:.0f}",
        "inc_u_g": f"{rng.uniform(3.5, 7.0):.1f}",
        "inc_r": f"{rng.uniform(15000, 24000) * f:.0f}",
        "inc_r_g": f"{rng.uniform(5.0, 9.0):.1f}",
        "cpi": f"{rng.uniform(0.8, 3.0):.1f}",
        "jobs": f"{max(0.05, pop * rng.uniform(0.008, 0.015)):.2f}",
        "proj": {
            "province": rng.randint(150, 400),
            "prefecture": rng.randint(60, 200),
            "county": rng.randint(20, 80),
            "township": rng.randint(3, 15),
        }[lv],
        "proj_inv": f"{gdp * rng.uniform(0.1, 0.3):.1f}",
        "g_next": rng.choice(("5", "5.5", "6", "6.5", "7")),
        "jobs_next": f"{max(0.05, pop * 0.01):.1f}",
        "road_km": f"{pop * rng.uniform(15, 40):.0f}",
        "hw_km": f"{pop * rng.uniform(0.5, 1.5):.0f}",
        "post": f"{gdp * rng.uniform(0.004, 0.01):.2f}",
        "tele": f"{gdp * rng.uniform(0.01, 0.03):.2f}",
        "tour": f"{pop * rng.uniform(3, 12):.1f}",
        "tour_rev": f"{gdp * rng.uniform(0.05, 0.2):.2f}",
        "schools": max(3, int(pop * rng.uniform(1.5, 3.5))),
        "students": f"{pop * rng.uniform(0.12, 0.2):.2f}",
        "edu_rate": f"{rng.uniform(96, 99.5):.1f}",
        "patents": max(3, int(pop * rng.uniform(3, 15))),
        "hightech": max(1, int(pop * rng.uniform(0.05, 0.3))),
        "libs": max(1, int(pop / 40) + 1),
        "clinics": max(5, int(pop * rng.uniform(4, 8))),
        "doctors": max(20, int(pop * rng.uniform(60, 90))),
        "beds": max(20, int(pop * rng.uniform(55, 75))),
        "sports": rng.randint(30, 400),
        "pension": f"{pop * rng.uniform(0.15, 0.3):.2f}",
        "med": f"{pop * rng.uniform(0.7, 0.9):.2f}",
        "dibao": f"{pop * rng.uniform(0.02, 0.05):.2f}",
        "dibao_f": f"{pop * rng.uniform(0.002, 0.008):.2f}",
        "aqi": f"{rng.uniform(80, 98):.1f}",
        "water": f"{rng.uniform(85, 100):.1f}",
        "forest": f"{rng.uniform(20, 68):.2f}",
        "accidents": max(1, int(pop * rng.uniform(0.05, 0.2))),
    }
    return e


_BULLETIN = (
    (
        "综合",
        (
            "经初步核算，{Y}年{place}实现地区生产总值{gdp}亿元，按不变价格计算，比上年增长{g}%。分产业看，第一产业完成增加值{v1}亿元，同比增长{g1}%；第二产业完成增加值{v2}亿元，同比增长{g2}%；第三产业完成增加值{v3}亿元，同比增长{g3}%。三次产业的比重为{s1}∶{s2}∶{s3}。按常住人口计算，人均地区生产总值{percap}元。",
            "全年{place}地区生产总值达到{gdp}亿元，扣除价格因素后较上年增长{g}%。其中，第一产业{v1}亿元，第二产业{v2}亿元，第三产业{v3}亿元，增速分别为{g1}%、{g2}%和{g3}%。全年居民消费价格总水平比上年上涨{cpi}%。",
        ),
    ),
    (
        "人口和就业",
        (
            "年末全{unit}常住人口{pop}万人，其中城镇人口比重为{urban}%。全年人口出生率为{birth}‰，死亡率为{death}‰。全年城镇新增就业{jobs}万人。",
            "年末常住人口为{pop}万人，常住人口城镇化率达到{urban}%。全年出生率{birth}‰，死亡率{death}‰；城镇新增就业人员{jobs}万人。",
        ),
    ),
    (
        "农业",
        (
            "全年粮食总产量{grain}万吨，较上年增长{grain_g}%。农业基础设施继续改善，高标准农田建设和农业机械化水平稳步提高。",
            "粮食生产保持稳定，全年产量为{grain}万吨，增幅{grain_g}%。蔬菜、水果、畜禽等主要农产品供应充足。",
        ),
    ),
    (
        "工业和投资",
        (
            "全年规模以上工业增加值较上年增长{ind_g}%。固定资产投资比上年增长{inv_g}%，全年实施重点项目{proj}个，完成投资{proj_inv}亿元。",
            "规模以上工业增加值增速为{ind_g}%。全社会固定资产投资同比增长{inv_g}%，{proj}个重点项目累计完成投资{proj_inv}亿元。",
        ),
    ),
    (
        "国内贸易",
        (
            "全年社会消费品零售总额{retail}亿元，比上年增长{retail_g}%。",
            "消费市场运行平稳，社会消费品零售总额实现{retail}亿元，同比增长{retail_g}%。",
        ),
    ),
    (
        "财政和金融",
        (
            "全年一般公共预算收入{rev}亿元，比上年增长{rev_g}%；一般公共预算支出{exp}亿元，其中民生支出占比{minsheng}%。年末金融机构各项存款余额{dep}亿元，各项贷款余额{loan}亿元。",
            "一般公共预算收入完成{rev}亿元，增长{rev_g}%；一般公共预算支出为{exp}亿元。年末本外币存款余额{dep}亿元，贷款余额{loan}亿元。",
        ),
    ),
    (
        "交通、邮电和旅游",
        (
            "年末公路通车里程{road_km}公里，其中高速公路{hw_km}公里。全年完成邮政业务总量{post}亿元，电信业务总量{tele}亿元。全年接待国内外游客{tour}万人次，实现旅游总收入{tour_rev}亿元。",
            "交通基础设施进一步完善，年末公路总里程达到{road_km}公里。邮政和电信业务总量分别为{post}亿元和{tele}亿元。旅游市场持续回暖，全年接待游客{tour}万人次，旅游收入{tour_rev}亿元。",
        ),
    ),
    (
        "教育和科学技术",
        (
            "全年共有各级各类学校{schools}所，在校学生{students}万人。九年义务教育巩固率保持在{edu_rate}%以上。全年专利授权量{patents}件，新认定高新技术企业{hightech}家。",
            "年末全{unit}有各类学校{schools}所，在校生{students}万人，义务教育巩固率{edu_rate}%。全年获得授权专利{patents}件，高新技术企业新增{hightech}家。",
        ),
    ),
    (
        "文化、卫生和体育",
        (
            "年末全{unit}有公共图书馆{libs}个、文化馆{libs}个，广播和电视综合人口覆盖率均超过99%。共有医疗卫生机构{clinics}个，卫生技术人员{doctors}人，医疗机构床位{beds}张。全年举办各类群众性体育活动{sports}场次。",
            "公共文化服务体系不断健全，年末共有公共图书馆{libs}个。医疗卫生机构总数为{clinics}个，拥有卫生技术人员{doctors}人、床位{beds}张。全年组织群众体育赛事和活动{sports}场次。",
        ),
    ),
    (
        "社会保障",
        (
            "年末参加城镇职工基本养老保险{pension}万人，参加城乡居民基本医疗保险{med}万人。全年城乡最低生活保障对象{dibao}万人，发放低保资金{dibao_f}亿元。",
            "社会保障覆盖面继续扩大，城镇职工基本养老保险参保人数{pension}万人，城乡居民基本医疗保险参保{med}万人。全年保障城乡低保对象{dibao}万人，支出低保资金{dibao_f}亿元。",
        ),
    ),
    (
        "资源、环境和安全生产",
        (
            "全年空气质量优良天数比例为{aqi}%，主要河流断面水质达标率{water}%。森林覆盖率达到{forest}%。全年发生各类生产安全事故{accidents}起，较上年有所下降。",
            "生态环境质量总体稳定，空气质量优良天数比例{aqi}%，地表水考核断面水质达标率{water}%，森林覆盖率{forest}%。安全生产形势平稳，全年生产安全事故{accidents}起。",
        ),
    ),
    (
        "人民生活",
        (
            "全年城镇常住居民人均可支配收入{inc_u}元，比上年增长{inc_u_g}%；农村常住居民人均可支配收入{inc_r}元，增长{inc_r_g}%。",
            "城镇居民人均可支配收入达到{inc_u}元，名义增长{inc_u_g}%；农村居民人均可支配收入{inc_r}元，名义增长{inc_r_g}%。",
        ),
    ),
)
_BULLETIN_NOTES = (
    "注：本公报中部分数据为初步统计数，各项数据均未包括外来暂住人口；部分数据因四舍五入，分项与合计略有差异。",
    "注：公报中地区生产总值及各产业增加值绝对数按现价计算，增长速度按不变价格计算。本公报同步在{site}统计信息栏目公开。",
    "说明：本公报数据来源于{place}统计部门和有关单位，最终数据以统计年鉴为准。",
)


def _bulletin(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    y = ctx.report_year
    e = _economy(rng, ctx, y)
    s = {**s, **e, "unit": s["unit"] if ctx.level != "department" else "市"}
    d = datetime.date(y + 1, rng.randint(3, 4), rng.randint(1, 28))
    blocks = [
        Block("p", f"{s['place']}统计局" if ctx.level != "township" else f"{s['place']}统计站"),
        Block("p", f"（{d.year}年{d.month}月{d.day}日）"),
        Block(
            "p",
            _fill(
                rng.choice(
                    (
                        "{Y}年，面对复杂多变的外部环境，{place}坚持稳中求进工作总基调，经济运行总体平稳，民生保障持续加强，社会大局和谐稳定。",
                        "{Y}年，全{unit}上下认真落实各项决策部署，扎实做好稳增长、促改革、调结构、惠民生各项工作，经济社会发展保持良好势头。",
                        "一年来，{place}经济持续恢复，发展质量稳步提升，主要经济指标运行在合理区间。",
                    )
                ),
                s,
            ),
        ),
    ]
    chosen = [0] + sorted(rng.sample(range(1, len(_BULLETIN)), rng.randint(len(_BULLETIN) - 2, len(_BULLETIN) - 1)))
    for i, ci in enumerate(chosen):
        title, paras = _BULLETIN[ci]
        blocks.append(_heading(i, title))
        blocks.append(Block("p", _fill(rng.choice(paras), s)))
    blocks.append(Block("p", _fill(rng.choice(_BULLETIN_NOTES), s)))
    return blocks


_GWR_OPEN = (
    "受{place}人民政府委托，现向大会报告政府工作，请各位代表审议，并请列席会议的同志提出意见。",
    "我代表{place}人民政府向大会作工作报告，请予审议，并请{listeners}提出意见。",
)
_GWR_REVIEW = (
    "过去的一年，我们面对多重困难和挑战，坚定信心、攻坚克难，较好完成了{Y}年度主要目标任务。初步核算，地区生产总值达到{gdp}亿元，增长{g}%；一般公共预算收入{rev}亿元；城乡居民人均可支配收入分别达到{inc_u}元和{inc_r}元。",
    "一年来，全{unit}经济运行稳中有进。地区生产总值{gdp}亿元，同比增长{g}%；固定资产投资增长{inv_g}%；社会消费品零售总额{retail}亿元。{proj}个重点项目完成投资{proj_inv}亿元，一批打基础、利长远的项目建成投用。",
)
_GWR_LIVELIHOOD = (
    "民生福祉持续改善。民生支出占一般公共预算支出的{minsheng}%，城镇新增就业{jobs}万人，新建改扩建中小学和幼儿园，基本医疗保险覆盖面进一步扩大，一批群众关心的民生实事如期完成。",
    "坚持把财力更多投向民生领域，全年民生支出比重达到{minsheng}%。新增城镇就业{jobs}万人，城乡低保标准再次提高，养老、托育等公共服务设施不断完善。",
)
_GWR_SELF = (
    "政府自身建设不断加强。自觉接受{supervision}，办理{props}。深入推进政务公开，全年主动公开政府信息{n_active}条，按时发布政府信息公开工作年度报告，重大决策事项均公开征求社会意见。",
    "坚持依法行政，严格执行重大行政决策程序。全面推进政务公开，政府常务会议研究的涉及群众利益事项一律向社会公开，全年发布政策解读{n_interp}篇，{hotline}受理群众诉求{n_hot}件，办结率{pct}%。",
)
_GWR_MORE = (
    "改革开放持续深化。扎实推进“放管服”改革，政务服务事项网上可办率进一步提高，企业开办时间压缩到1个工作日以内。全年新登记市场主体增长明显，招商引资到位资金稳步增加。",
    "城乡面貌焕然一新。完成一批道路、供水、污水处理等基础设施项目，改造老旧小区和背街小巷，农村人居环境整治扎实推进，城乡环境更加整洁有序。",
    "社会治理不断加强。统筹发展和安全，扎实开展安全生产专项整治，深入推进平安建设，信访积案化解取得实效，社会大局保持和谐稳定。",
    "生态环境持续改善。深入开展大气、水、土壤污染防治，空气质量优良天数比例达到{aqi}%，森林覆盖率达到{forest}%，绿色发展底色更加鲜明。",
)
_GWR_PROBLEMS = (
    "在肯定成绩的同时，我们也清醒地认识到，经济发展的质量和效益还不够高，产业结构调整任务依然繁重，公共服务还有不少短板，政府工作中还存在一些不足。对此，我们将采取有力措施认真加以解决。",
    "我们也看到，发展中还面临不少困难：实体经济经营压力较大，财政收支矛盾突出，教育、医疗、养老等领域与群众期盼仍有差距，少数干部担当作为不够。我们一定直面问题，努力改进。",
)
_GWR_TARGETS = (
    "{Y}年经济社会发展的主要预期目标是：地区生产总值增长{g_next}%左右，一般公共预算收入稳定增长，城乡居民收入增长与经济增长基本同步，城镇新增就业{jobs_next}万人以上，居民消费价格涨幅控制在3%左右。",
    "综合考虑各方面因素，今年发展的主要预期目标为：地区生产总值增长{g_next}%左右；固定资产投资保持合理增长；城乡居民人均可支配收入稳步提高；完成上级下达的节能减排和耕地保护任务。",
)
_GWR_TASKS = (
    "（{i}）坚定不移抓项目扩投资。围绕{ind1}、{ind2}等领域谋划储备一批重大项目，完善项目推进机制，实行领导包联、专班推进，推动项目早开工、早投产、早见效，全年计划实施重点项目{proj}个以上。",
    "（{i}）持续优化营商环境。深化“放管服”改革，推进政务服务“一网通办”“一次办好”，落实好各项惠企政策，健全政企沟通机制，让各类市场主体安心经营、放心发展。",
    "（{i}）全面推进乡村振兴。稳定粮食播种面积和产量，加强高标准农田和农村基础设施建设，发展特色产业，持续改善农村人居环境，促进农民持续增收。",
    "（{i}）着力保障和改善民生。落实就业优先政策，办好人民满意的教育，推进健康{short}建设，完善社会保障体系，扎实办好年度民生实事，让群众的获得感成色更足。",
    "（{i}）加强生态环境保护。深入打好污染防治攻坚战，抓好突出环境问题整改，推进生态修复和绿色低碳发展，守护好一方青山绿水。",
    "（{i}）统筹发展和安全。压紧压实安全生产责任，加强防灾减灾能力建设，做好重点领域风险防范化解，持续推进平安建设。",
)
_GWR_SELF_NEXT = (
    "新的一年，我们将坚持依法行政，自觉接受各方面监督；坚持政务公开，推进决策、执行、管理、服务、结果公开，及时回应群众关切；坚持勤俭节约，严控一般性支出；坚持真抓实干，以钉钉子精神推动各项工作落地见效。",
    "加强政府自身建设，建设人民满意的服务型政府。深化法治政府建设，严格规范公正文明执法；全面推进政务公开，让权力在阳光下运行；持之以恒正风肃纪，打造忠诚干净担当的干部队伍。",
)
_GWR_END = (
    "各位代表，新的征程已经开启，新的使命催人奋进。让我们在{upper_party}的坚强领导下，团结一心、开拓进取，为推动{place}高质量发展而努力奋斗！",
    "各位代表，蓝图已经绘就，奋斗正当其时。让我们凝心聚力、真抓实干，奋力谱写{short}发展的新篇章！",
)
_DWR_OPEN = (
    "这次会议的主要任务是：总结{Y}年工作，分析当前形势，部署{Y1}年重点任务。下面，我代表{self}领导班子作工作报告。",
    "下面，我代表{self}党组作工作报告，回顾{Y}年工作，安排{Y1}年任务。",
)
_DWR_REVIEW = (
    "{Y}年，{we}围绕{field}中心工作，认真履行职责，主要指标全面完成。全年办理{topic1}相关事项{n_list}件，{topic2}工作稳步推进，{topic3}取得新突破。",
    "一年来，{we}坚持稳中求进，{field}各项工作取得了明显成效：{topic1}工作扎实开展，{topic2}管理更加规范，服务群众的能力进一步提升。",
)
_DWR_OPEN_GOV = (
    "政务公开和政务服务水平进一步提升。{we}在{site}主动公开政府信息{n_active}条，发布政策解读{n_interp}篇，按时发布政府信息公开工作年度报告，依法办理政府信息公开申请，群众满意度持续提高。",
    "深入推进政务公开，及时公开{topic1}、{topic2}等领域信息，全年公开各类信息{n_active}条，办理网民留言{n_msg}条，政务公开考核位居前列。",
)
_DWR_MORE = (
    "重点项目建设扎实推进。全年实施{field}领域重点项目{proj}个，完成投资{proj_inv}亿元，一批群众期盼的项目建成投入使用。",
    "服务保障能力持续增强。围绕{topic4}、{topic5}等工作，组织开展专项行动，解决了一批群众反映强烈的突出问题。",
    "{we}坚持以人民为中心的发展思想，把{topic2}相关工作作为服务群众的重要抓手，简化办事流程，压缩办理时限，全年群众满意度调查结果保持在较高水平。",
    "依法行政水平不断提高。严格落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，全年未发生行政执法行为被依法撤销的情况。",
    "党风廉政建设持续加强。认真落实全面从严治党主体责任，深化作风建设，开展警示教育，干部队伍精神面貌和工作作风明显改善。",
)
_DWR_PROBLEMS = (
    "在看到成绩的同时，我们也清醒地认识到，{field}工作还存在一些薄弱环节：{topic4}等方面的基础还不够牢固，基层力量相对不足，个别干部服务意识不强、工作标准不高。这些问题需要在今后工作中认真加以解决。",
    "当前，{we}工作中还存在一些短板：部分工作推进不够平衡，{topic5}领域的监管手段还需丰富，干部队伍的专业能力与新形势新任务的要求还有差距。",
)
_DWR_TASKS = (
    "（{i}）聚焦主责主业，做好{topic1}工作。进一步完善工作机制，细化目标任务，把责任落实到科室、落实到人，实行月调度、季通报，确保各项指标按期完成。",
    "（{i}）深化改革创新，推进{topic2}工作提质增效。对标先进地区，学习借鉴好经验好做法，在简化流程、压缩时限、优化服务上下功夫，推动工作上台阶。",
    "（{i}）强化依法行政，提升{topic3}监管水平。严格执行行政执法“三项制度”，规范执法行为，做好政务公开和政策解读，及时回应群众关切。",
    "（{i}）加强作风建设，打造过硬干部队伍。持续开展业务培训，健全考核激励机制，驰而不息纠治“四风”，营造干事创业的良好氛围。",
)


def _gov_work_report(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    y = ctx.report_year
    s = {**s, "hotline": rng.choice(_HOTLINES)}
    if ctx.level == "department":
        s.update(proj=rng.randint(5, 30), proj_inv=f"{rng.uniform(1.0, 30.0):.1f}")
        blocks = [
            Block("p", "同志们："),
            Block("p", _one(rng, _DWR_OPEN, s)),
            Block("h", f"一、{y}年工作回顾"),
            Block("p", _one(rng, _DWR_REVIEW, s)),
            Block("p", _one(rng, _DWR_OPEN_GOV, s)),
        ]
        blocks += [Block("p", x) for x in _some_list(rng, _DWR_MORE, rng.randint(3, 5), s)]
        blocks += [Block("p", _one(rng, _DWR_PROBLEMS, s)), Block("h", f"二、{y + 1}年重点工作")]
        for j, t in enumerate(_DWR_TASKS):
            blocks.append(Block("p", _fill(t, {**s, "i": _HEAD_NUMS[j]})))
        blocks.append(
            Block(
                "p",
                "同志们，新的一年任务艰巨、使命光荣。让我们团结一心、真抓实干，奋力开创"
                + _fill("{field}工作新局面！", s),
            )
        )
        return blocks
    # a government's report is delivered early in year y: it reviews y-1 and plans y
    e = _economy(rng, ctx, y - 1)
    s.update(e)
    prev = {**s, "Y": y - 1}
    prov = s["prov"]
    if prov.endswith("自治区"):
        prov_party = "自治区党委、自治区人民政府"
    else:
        prov_party = f"{prov}委、{prov}政府" if prov != "省" else "省委、省政府"
    upper_party = {
        "province": "党中央",
        "prefecture": prov_party,
        "county": "市委、市政府" if s["unit"] != "市" else "上级党委、政府",
        "township": f"{s['unit']}党委",
    }.get(ctx.level, "上级党委、政府")
    session = rng.randint(1, 5)
    congress = _cn_small(rng.randint(13, 19))
    when = f"{y}年{rng.randint(1, 2)}月{rng.randint(5, 28)}日"
    blocks = [
        Block("p", f"——{when}在{ctx.place}第{congress}届人民代表大会第{_cn_small(session)}次会议上"),
        Block("p", "各位代表："),
        Block("p", _one(rng, _GWR_OPEN, s)),
        Block("h", f"一、{y - 1}年工作回顾"),
        Block("p", _one(rng, _GWR_REVIEW, prev)),
        Block("p", _one(rng, _GWR_LIVELIHOOD, prev)),
    ]
    blocks += [Block("p", x) for x in _some_list(rng, _GWR_MORE, rng.randint(2, 4), prev)]
    blocks += [
        Block("p", _one(rng, _GWR_SELF, prev)),
        Block("p", _one(rng, _GWR_PROBLEMS, prev)),
        Block("h", f"二、{y}年工作安排"),
        Block("p", _one(rng, _GWR_TARGETS, s)),
    ]
    idx = sorted(rng.sample(range(len(_GWR_TASKS)), rng.randint(4, 6)))
    for j, i in enumerate(idx):
        blocks.append(Block("p", _fill(_GWR_TASKS[i], {**s, "i": _HEAD_NUMS[j]})))
    blocks += [
        Block("h", "三、加强政府自身建设"),
        Block("p", _one(rng, _GWR_SELF_NEXT, s)),
        Block("p", _fill(rng.choice(_GWR_END), {**s, "upper_party": upper_party})),
    ]
    return blocks


# 信息公开指南 -----------------------------------------------------------------------------------
_GUIDE_INTRO = (
    "为方便公民、法人和其他组织依法获取{agency}的政府信息，根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，编制本指南。本指南根据工作变化适时更新，可在{site}查阅，也可在{hall}免费索取纸质文本。",
    "依照《中华人民共和国政府信息公开条例》，{agency}编制了本政府信息公开指南，向公众说明政府信息的公开范围、获取方式和申请程序。需要获取政府信息的，请仔细阅读本指南。",
)
_GUIDE_SCOPE = (
    "（一）公开范围。{agency}主动公开的政府信息主要包括：机构职能、领导分工、政策文件、规划计划、财政预决算、行政许可和行政处罚结果、{topic1}、{topic2}等。具体内容见主动公开目录。",
    "（一）公开内容。按照《条例》第二十条、第二十一条的规定，{agency}将本机关的机构设置、规范性文件、发展规划、财政资金使用以及{topic1}、{topic2}等信息列入主动公开范围。",
)
_GUIDE_WAYS = (
    "（二）公开方式。主动公开的政府信息通过{site}、{nm}{gaz_part}等渠道发布，同时在{lookup}设置查阅点，方便公众查阅。",
    "（二）公开渠道。公众可以在{site}检索查阅，也可以关注{nm}获取信息{gaz_part2}。",
)
_GUIDE_TIME = (
    "（三）公开时限。主动公开的政府信息，一般在信息形成或变更后20个工作日内发布；法律、法规对公开时限另有规定的，按其规定执行。",
    "（三）公开时限。{agency}在政府信息生成或者发生变化后的20个工作日内完成主动公开，涉及公众重大利益的信息第一时间发布。",
)
_GUIDE_OFFICE = (
    "（一）受理机构。名称：{office}；办公地址：{addr}{room}；邮政编码：{zip}；联系电话：{phone}；传真：{fax}；工作时间：{hours}（法定节假日除外）。",
    "（一）受理机构及联系方式。{office}负责受理向{agency}提出的政府信息公开申请。地址：{addr}；邮编：{zip}；咨询电话：{phone}；受理时间：{hours}，节假日不受理现场申请。",
)
_GUIDE_APPLY = (
    "（二）申请方式。申请人可以当面提交申请，也可以通过信函、传真或网上申请平台提交。申请书应当写明：申请人姓名或单位名称、身份证件信息和联系方式；所需政府信息的名称、文号或其他便于查找的描述；希望获取信息的形式和途径。采用书面形式确有困难的，可以口头提出，由受理人员代为填写申请。",
    "（二）提出申请。向{agency}申请获取政府信息的，应当填写《政府信息公开申请表》，可通过{site}在线提交，也可邮寄或当面递交至受理机构。以信函方式提出的，请在信封左下角注明“政府信息公开申请”字样。",
)
_GUIDE_LIMIT = (
    "（三）处理时限。能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经负责人同意并告知申请人，延长的期限最长不超过20个工作日。征求第三方和其他机关意见所需时间不计算在内。",
    "（三）答复期限。受理机构收到申请后，能够当场答复的当场答复；不能当场答复的，在20个工作日内答复。确需延长的，延长期限不超过20个工作日，并书面告知申请人。申请内容不明确需要补正的，答复期限自收到补正的申请之日起计算。",
)
_GUIDE_FEE = (
    "（四）收费。依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，可以按照《政府信息公开信息处理费管理办法》收取信息处理费。",
    "（四）费用。{agency}依申请提供政府信息不收取检索、复制、邮寄等费用，但超出合理范围的申请依法收取信息处理费的除外。",
)
_GUIDE_FEE_OLD = (
    "（四）收费。依申请提供政府信息，除可以收取检索、复制、邮寄等成本费用外，不收取其他费用；对经济困难的申请人，经本人申请可以减免相关费用。",
)
_GUIDE_REMEDY = (
    "公民、法人或者其他组织认为{agency}在政府信息公开工作中侵犯其合法权益的，可以向{upper}或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
    "申请人对答复不服的，可以自知道该行政行为之日起60日内依法申请行政复议，或者自知道之日起6个月内依法提起行政诉讼；认为本机关未依法履行公开义务的，可以向上一级行政机关投诉、举报。",
)
_GUIDE_REPORT = (
    "{agency}于每年{deadline}前编制并公布上一年度政府信息公开工作年度报告，报告在{site}“政府信息公开年报”栏目发布，公众可随时查阅。",
    "根据《条例》规定，{agency}每年{deadline}前向社会公布本机关上一年度政府信息公开工作年度报告，内容包括主动公开、依申请公开、复议诉讼、存在问题等情况。",
)


def _guide(rng: random.Random, ctx: DocContext, s: dict) -> list[Block]:
    y = ctx.report_year
    gaz = s["gaz"]
    s = {
        **s,
        "hours": rng.choice(
            (
                "周一至周五上午8:30—12:00，下午14:30—17:30",
                "工作日上午9:00—12:00，下午13:30—17:00",
                "周一至周五8:00—12:00、14:30—18:00",
            )
        ),
        "gaz_part": f"、{gaz}" if gaz else "",
        "gaz_part2": f"，或查阅{gaz}" if gaz else "",
        "deadline": "1月31日" if (ctx.level == "department" and y >= 2019) else "3月31日",
    }
    blocks = [
        Block("p", _one(rng, _GUIDE_INTRO, s)),
        Block("h", "一、主动公开"),
        Block("p", _one(rng, _GUIDE_SCOPE, s)),
        Block("p", _one(rng, _GUIDE_WAYS, s)),
        Block("p", _one(rng, _GUIDE_TIME, s)),
        Block("h", "二、依申请公开"),
        Block("p", _one(rng, _GUIDE_OFFICE, s)),
        Block("p", _one(rng, _GUIDE_APPLY, s)),
        Block("p", _one(rng, _GUIDE_LIMIT, s)),
        Block("p", _one(rng, _GUIDE_FEE if y >= 2021 else _GUIDE_FEE_OLD, s)),
        Block("h", "三、监督和救济"),
        Block("p", _one(rng, _GUIDE_REMEDY, s)),
        Block("h", "四、政府信息公开工作年度报告"),
        Block("p", _one(rng, _GUIDE_REPORT, s)),
    ]
    if rng.random() < 0.5:
        blocks += [Block("sign", ctx.office), Block("sign", _date_text(rng, ctx.published))]
    return blocks


_OTHER_BUILDERS = {
    "工作要点": _plan,
    "落实情况的函": _letter,
    "工作总结": _summary,
    "考核通报": _assessment,
    "统计公报": _bulletin,
    "政府工作报告": _gov_work_report,
    "信息公开指南": _guide,
}


def other_blocks(rng: random.Random, kind: str, ctx: DocContext) -> list[Block]:
    """The body of a look-alike document of ``kind`` (one of OTHER_KINDS) that is not an annual report."""
    if kind not in _OTHER_BUILDERS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {OTHER_KINDS}")
    s = _slots(rng, ctx)
    s["hotline"] = rng.choice(_HOTLINES)
    return _OTHER_BUILDERS[kind](rng, ctx, s)


def other_title(kind: str, ctx: DocContext) -> str:
    """The title of a look-alike document (departments use their own name where a place would be odd)."""
    y = ctx.report_year
    own = ctx.agency if ctx.level == "department" else ctx.place
    if kind == "工作要点":
        return f"{own}{y}年政务公开工作要点"
    if kind == "落实情况的函":
        return f"{ctx.office}关于{y}年政务公开工作落实情况的函"
    if kind == "工作总结":
        return f"{own}{y}年政务公开工作总结"
    if kind == "考核通报":
        return f"关于{y}年政务公开工作考核情况的通报"
    if kind == "统计公报":
        return f"{ctx.place}{y}年国民经济和社会发展统计公报"
    if kind == "政府工作报告":
        if ctx.level == "department":
            return f"{ctx.agency}{y}年工作报告"
        return f"{y}年{ctx.place}人民政府工作报告"
    if kind == "信息公开指南":
        return f"{ctx.agency}政府信息公开指南"
    raise ValueError(f"unknown kind {kind!r}; expected one of {OTHER_KINDS}")


# ---------------------------------------------------------------------------------------------
# Day-2 edits
# ---------------------------------------------------------------------------------------------

# A count followed by its measure word; dates, years, phone numbers and percentages are left alone.
_COUNT = re.compile(r"(?<![\d\-－.:])(\d{1,6})(?=(条|件|篇|场|期|人次|个|次|名|台)(?!\d))")
_ADDENDA_COUNT = (
    "其中，通过政务新媒体同步转载{k}条。",
    "其中，涉及民生领域的信息{k}条。",
    "其中，转载上级政府及部门信息{k}条。",
)
_ADDENDA = (
    "相关信息已同步推送至上级政府网站。",
    "（此数据已根据年终核对结果更新。）",
    "上述信息均已按要求在政府信息公开专栏归档备查。",
    "全年未发生因信息发布引发的负面舆情。",
    "相关工作台账已整理归档。",
)
_WORD_FIXES = (
    ("政府信息公开工作", "政府信息公开各项工作"),
    ("进一步", "切实"),
    ("及时", "第一时间"),
    ("加强", "强化"),
    ("不断", "持续"),
)


def edit_blocks(rng: random.Random, blocks: list[Block]) -> list[Block]:
    """A copy of a report's blocks with a small correction, as a government edits a page the next day.

    One count in one paragraph is changed and a short sentence is appended to a paragraph; if no
    paragraph has a count, a word is replaced instead. Headings, table slots and signatures stay.
    """
    out = list(blocks)
    paras = [i for i, b in enumerate(out) if b.kind == "p"]
    if not paras:
        return out
    with_counts = [i for i in paras if _COUNT.search(out[i].text)]
    # prefer paragraphs whose numbers are not those of the statistics tables
    safe = [i for i in with_counts if "申请" not in out[i].text and "复议" not in out[i].text] or with_counts
    if safe:
        i = rng.choice(safe)
        text = out[i].text
        m = rng.choice(list(_COUNT.finditer(text)))
        old = int(m.group(1))
        new = old + rng.choice((-3, -2, -1, 1, 2, 3, 5, 10)) if old > 10 else old + rng.randint(1, 3)
        text = text[: m.start()] + str(new) + text[m.end() :]
        last = [int(x) for x in re.findall(r"(?<![\d.])(\d+)条", text)]
        if last and last[-1] >= 20 and text.endswith("。") and rng.random() < 0.5:
            out[i] = Block("p", text + rng.choice(_ADDENDA_COUNT).format(k=rng.randint(2, last[-1] // 3)))
        else:
            out[i] = Block("p", text)
            ends = [j for j in paras if out[j].text.endswith("。") and len(out[j].text) > 30] or [i]
            j = rng.choice(ends)
            out[j] = Block("p", out[j].text + rng.choice(_ADDENDA))
        return out
    order = list(paras)
    rng.shuffle(order)
    for i in order:
        text = out[i].text
        fixes = [f for f in _WORD_FIXES if f[0] in text]
        if fixes:
            old_word, new_word = rng.choice(fixes)
            out[i] = Block("p", text.replace(old_word, new_word, 1))
            return out
    i = rng.choice(paras)
    out[i] = Block("p", out[i].text + rng.choice(_ADDENDA))
    return out
