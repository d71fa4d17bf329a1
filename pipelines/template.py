"""The labels of the annual report's standard tables: facts of the template, in one place.

国办公开办函〔2019〕60号 fixed the tables; 〔2021〕30号 revised table 二 and split （六）其他处理.
Canonical names are the template's own wording (``../shared/report-template.md``); a row is a
path of labels joined with "/" (``三、本年度办理结果/（三）不予公开/1.属于国家秘密``). The parser
(``pipelines.stats``) maps what pages print onto these; the sample web prints them.
"""

from __future__ import annotations

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
TABLE3_COLUMNS = APPLICANTS + ("总计",)
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

RESULTS = "三、本年度办理结果"
RECEIVED = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
CARRIED_OUT = "四、结转下年度继续办理"
TOTAL_ROW = "（七）总计"

# Outcome groups of 三、本年度办理结果: (group label, leaf labels); a group with no leaves is a leaf.
_OUTCOMES_COMMON = (
    ("（一）予以公开", ()),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    (
        "（三）不予公开",
        (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ),
    ),
    ("（四）无法提供", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
    (
        "（五）不予处理",
        (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ),
    ),
)
OUTCOMES = {
    "2019": _OUTCOMES_COMMON + (("（六）其他处理", ()),),
    "2021": _OUTCOMES_COMMON
    + (
        (
            "（六）其他处理",
            (
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "3.其他",
            ),
        ),
    ),
}

# Table 二 per template: (section, its columns, its rows).
TABLE2 = {
    "2019": (
        ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "规范性文件")),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政许可", "其他对外管理服务事项")),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政处罚", "行政强制")),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
    ),
    "2021": (
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
        ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
        ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
    ),
}

TABLE4_GROUPS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
TABLE4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def outcome_rows(template: str) -> list[str]:
    """The leaf row paths of 三、本年度办理结果 (without （七）总计), in printed order."""
    rows = []
    for group, leaves in OUTCOMES[template]:
        if leaves:
            rows.extend(f"{RESULTS}/{group}/{leaf}" for leaf in leaves)
        else:
            rows.append(f"{RESULTS}/{group}")
    return rows


def table3_rows(template: str) -> list[str]:
    """Every row path of table 三, in printed order."""
    return [RECEIVED, CARRIED_IN, *outcome_rows(template), f"{RESULTS}/{TOTAL_ROW}", CARRIED_OUT]


def table2_cells(template: str) -> list[tuple[str, str]]:
    """Every (row path, column) of table 二."""
    return [
        (f"{section}/{row}", column)
        for section, columns, rows in TABLE2[template]
        for row in rows
        for column in columns
    ]


def table4_cells() -> list[tuple[str, str]]:
    return [(group, column) for group in TABLE4_GROUPS for column in TABLE4_COLUMNS]
