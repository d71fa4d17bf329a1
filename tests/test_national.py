"""The national registry: every division of the dataset once, valid codes, parents present, readable."""

import os
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from archive.cli import main
from crawler import adapters, national, registry
from pipelines.regions import divisions

PLATFORMS = tuple(adapters.ADAPTERS)
ROOT = Path(__file__).resolve().parent.parent


def test_national_rows_cover_every_division_of_the_dataset():
    rows = national.national_rows()
    mainland = [d for d in divisions() if d.province not in ("香港特别行政区", "澳门特别行政区", "台湾省")]
    assert Counter(r["level"] for r in rows) == Counter(d.level for d in mainland)
    assert {r["adcode"] for r in rows} == {d.adcode for d in mainland}
    counts = Counter(r["level"] for r in rows)
    assert 330 <= counts["prefecture"] <= 336 and 2800 <= counts["county"] <= 2900  # GB/T 2260 as of the 2020s
    codes = [r["adcode"] for r in rows]
    assert len(codes) == len(set(codes)) and all(c.isdigit() and len(c) == 6 for c in codes)
    by_code = {r["adcode"]: r for r in rows}
    for r in rows:
        if r["level"] == "province":
            assert r["parent_adcode"] == "" and r["adcode"].endswith("0000")
        else:
            parent = by_code[r["parent_adcode"]]
            assert r["adcode"][:2] == parent["adcode"][:2]
            assert parent["level"] in (("province",) if r["level"] == "prefecture" else ("province", "prefecture"))
    assert by_code["360902"]["region"] == "江西省/宜春市/袁州区" and by_code["360902"]["parent_adcode"] == "360900"
    assert by_code["429004"]["parent_adcode"] == "420000"  # 仙桃市: a county-level city under the province


def test_websites_come_from_real_pages_then_fixes_then_the_survey_and_nothing_is_verified():
    rows = {r["adcode"]: r for r in national.national_rows()}
    known, fixes, surveyed = national.known_websites(), national.portal_fixes(), national.portals()
    for code, row in rows.items():
        if code in known:
            assert (row["website"], row["website_source"]) == (known[code].website, "real page")
        elif code in fixes:
            assert row["website"] == fixes[code].website
            assert row["status"] == ("unchecked" if fixes[code].website else fixes[code].status)
        elif code in surveyed and surveyed[code].url:
            assert (row["website"], row["website_source"]) == (surveyed[code].url, national.SURVEY)
        else:
            assert (row["website"], row["status"]) == ("", "no_website")
    assert all(r["verified"] == "false" for r in rows.values())  # the survey reaching a site is not us
    assert all(not r["website"] or r["status"] == "unchecked" for r in rows.values())
    assert all(
        not r["disclosure_hint"] or urlsplit(r["disclosure_hint"]).hostname == urlsplit(r["website"]).hostname
        for r in rows.values()
    )
    with_site = sum(bool(r["website"]) for r in rows.values())
    assert with_site >= 3190, with_site  # every division the survey lists, but the rows it has wrong


def test_rows_the_survey_has_wrong_are_fixed_or_marked():
    rows = {r["adcode"]: r for r in national.national_rows()}
    assert rows["310107"]["website"] == "https://www.shpt.gov.cn/"  # not 舟山's 普陀
    assert rows["222404"]["website"] == "http://www.hunchun.gov.cn/"  # not the prefecture's
    assert rows["210782"]["website"] == "http://www.beizhen.gov.cn/"  # not 巴中's
    for code in ("341702", "420281"):  # the prefecture's portal, and no page of the county's own known
        assert (rows[code]["website"], rows[code]["status"]) == ("", "website_wrong") and "not fixed" in rows[code][
            "note"
        ]
    for code in ("350527", "460302", "460303"):
        assert rows[code]["status"] == "publishes_nothing"


def test_the_portal_facts_are_those_of_the_survey_file():
    survey = ROOT.parent / "shared" / "registry" / "portals.csv"
    if not survey.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{survey} is missing (CI=true)")
        pytest.skip(f"{survey} is not beside the checkout: cannot compare crawler/data/portals.csv with it")
    expected = national.to_csv(national.portal_facts(survey), national.PORTAL_COLUMNS)
    assert national.PORTALS.read_text(encoding="utf-8") == expected, (
        "crawler/data/portals.csv is stale: `nianbao sites portals ../shared/registry/portals.csv "
        "-o crawler/data/portals.csv`, then `nianbao sites national -o crawler/data/national.csv`"
    )


def test_committed_csv_is_what_the_command_generates(tmp_path):
    out = tmp_path / "national.csv"
    result = CliRunner().invoke(main, ["sites", "national", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == national.NATIONAL_CSV.read_text(encoding="utf-8"), (
        "crawler/data/national.csv is stale: regenerate it with `nianbao sites national -o crawler/data/national.csv`"
    )


def test_registry_reader_takes_the_national_csv_and_skips_rows_without_a_site_in_one_message():
    sites, errors = registry.load(national.NATIONAL_CSV, PLATFORMS)
    rows = national.national_rows()
    assert [s.site_id for s in sites] == [r["site_id"] for r in rows if r["start_urls"] or r["website"]]
    assert len(errors) == 1
    assert f"{sum(not (r['start_urls'] or r['website']) for r in rows)} row(s) name neither" in errors[0]
    assert all(s.platform == "auto" for s in sites)
    by_id = {s.site_id: s for s in sites}
    assert by_id["cn110101"].website == "https://www.bjdch.gov.cn/" and not by_id["cn110101"].start_urls
    assert by_id["cn110101"].disclosure_hint == "https://www.bjdch.gov.cn/zwgk/"
