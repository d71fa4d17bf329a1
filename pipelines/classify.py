"""Is this page a 政府信息公开工作年度报告? Every decision comes with a reason a person can read.

The title decides first, because real titles are formulaic: a report names 信息公开 and
年度报告 (or 年报, or 工作报告 with a year), and the look-alikes name what they are instead
(工作要点, 落实情况的函, 工作总结, 考核通报, 统计公报, 政府工作报告, 信息公开指南/制度). Where
the title says nothing either way (attachment pages, 正文 without a heading) the body decides
by the template's section headings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# (pattern on the title, reason) — the look-alikes, checked before the report patterns.
LOOK_ALIKES = (
    (r"工作要点", "a 工作要点 (work plan for the year), not a report on it"),
    (r"落实情况|的函$|之函", "a 落实情况 letter (函) to a higher office, not the annual report"),
    (r"工作总结|年终总结", "a 工作总结 (year-end summary), not the annual report"),
    (r"考核|通报", "a 考核通报 (assessment notice) about other units"),
    (r"统计公报|国民经济和社会发展", "a 统计公报 (statistical bulletin)"),
    (r"(?<!信息公开)(?<!政务公开)政府工作报告", "a 政府工作报告 (government work report to the people's congress)"),
    (r"指南|制度|目录|办法|规定|细则", "a 信息公开指南/制度 (guide or rules), not a report"),
    (r"^关于.*的(通知|公告|通告|批复|意见)$|(通知|公告)$", "a notice (通知/公告) about reports, not a report"),
)
REPORT = re.compile(
    r"(信息公开|政务公开).{0,12}(年度报告|年报|工作报告|年度工作报告)|"
    r"(年度|年).{0,6}(信息公开|政务公开).{0,4}(报告|年报)|信息公开年报"
)
TEMPLATE_SECTIONS = (
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
)
OLD_SECTIONS = ("主动公开政府信息", "依申请公开", "政府信息公开的收费", "行政复议", "存在的主要问题")
YEAR = re.compile(r"(19|20)\d{2}\s*年")


@dataclass(frozen=True)
class Decision:
    is_report: bool
    reason: str


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def classify(title: str | None, text: str, link_count: int = 0) -> Decision:
    """Decide on a page from its title and body text (and how many links its body holds)."""
    t = _norm(title)
    body = _norm(text)
    if t:
        for pattern, reason in LOOK_ALIKES:
            if re.search(pattern, t):
                return Decision(False, f"title {title!r} is {reason}")
        if REPORT.search(t) and re.search(r"(19|20)\d{2}", t):
            return Decision(True, f"title {title!r} names a 政府信息公开 annual report and its year")
    if len(body) < 200 and link_count >= 10:
        return Decision(False, "a list page: many links and little text of its own")
    if t and REPORT.search(t):
        if len(body) >= 500:
            return Decision(True, f"title {title!r} names a 政府信息公开 annual report (no year in the title)")
        return Decision(False, f"title {title!r} names the report column, with no year and little text: a column page")
    sections = sum(s in body for s in TEMPLATE_SECTIONS)
    if sections >= 3:
        return Decision(True, f"body carries {sections} section headings of the report template")
    old = sum(s in body for s in OLD_SECTIONS)
    if old >= 4 and "年度报告" in body:
        return Decision(True, f"body reads like a pre-2019 annual report ({old} of its usual sections)")
    if not t:
        return Decision(False, "no title, and the body is not shaped like an annual report")
    return Decision(False, f"title {title!r} does not name a 政府信息公开 annual report")
