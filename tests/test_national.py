"""The national registry: every division of the dataset once, valid codes, parents present, readable."""

from collections import Counter

from click.testing import CliRunner

from archive.cli import main
from crawler import adapters, national, registry
from pipelines.regions import divisions

PLATFORMS = tuple(adapters.ADAPTERS)


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


def test_websites_only_where_known_and_nothing_verified():
    rows = national.national_rows()
    known = national.known_websites()
    assert {r["adcode"] for r in rows if r["website"]} == set(known)
    assert all(r["verified"] == "false" for r in rows)
    assert all(r["status"] == "no_website" and not r["start_urls"] for r in rows if not r["website"])
    assert all(r["note"].startswith("website from ") for r in rows if r["website"])


def test_committed_csv_is_what_the_command_generates(tmp_path):
    out = tmp_path / "national.csv"
    result = CliRunner().invoke(main, ["sites", "national", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == national.NATIONAL_CSV.read_text(encoding="utf-8"), (
        "crawler/data/national.csv is stale: regenerate it with `nianbao sites national -o crawler/data/national.csv`"
    )


def test_registry_reader_takes_the_national_csv_and_skips_rows_without_start_urls_in_one_message():
    sites, errors = registry.load(national.NATIONAL_CSV, PLATFORMS)
    rows = national.national_rows()
    assert [s.site_id for s in sites] == [r["site_id"] for r in rows if r["start_urls"]]
    assert len(errors) == 1
    assert f"{sum(not r['start_urls'] for r in rows)} row(s) name no start_urls yet" in errors[0]
    assert all(s.platform == "auto" for s in sites)
