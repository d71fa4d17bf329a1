"""Dates as Chinese government pages write them: 2019-01-14, 2019年1月14日, 二〇一九年一月十四日.

A regex reads the 年月日 and ISO forms (nearly every real page); dateparser with
``languages=['zh']`` is the fallback for the rest, and must find day, month and year itself:
a date we cannot read is None, never a day we made up.
"""

from __future__ import annotations

import datetime as dt
import re

_NUMERIC = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def _cn_number(text: str) -> int:
    """一 .. 三十一 (month and day numerals)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[dt.date]:
    """Every well-formed date in the text, in order of appearance."""
    found: list[tuple[int, dt.date]] = []
    for m in _NUMERIC.finditer(text):
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append((m.start(), d))
    for m in _CN.finditer(text):
        try:
            year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
            d = _valid(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
        except KeyError:
            d = None
        if d:
            found.append((m.start(), d))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def parse_date(text: str | None) -> dt.date | None:
    """The first date in a short string, or None."""
    if not text:
        return None
    dates = find_dates(text)
    if dates:
        return dates[0]
    if not re.search(r"\d", text):
        return None
    import dateparser  # slow to import; only needed for the rare odd form

    parsed = dateparser.parse(
        text, languages=["zh"], settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    )
    if parsed is None or not 1990 <= parsed.year <= dt.date.today().year + 1:
        return None  # dateparser fills gaps; a year outside the archive's world is a guess
    return parsed.date()
