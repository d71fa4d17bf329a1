"""Storage decisions: new report, sighting, unchanged, changed, rejected — idempotent."""

from __future__ import annotations

import pytest

from archive.store import Archive, schema
from pipelines.page import PageRecord


def _record(text="一、总体情况\n全年收到申请12件", is_report=True, **kw) -> PageRecord:
    from pipelines.dedupe import content_hash

    base = dict(
        is_report=is_report,
        reject_reason=None if is_report else "no",
        reason="r",
        title="某县2019年政府信息公开工作年度报告",
        agency="某县人民政府",
        source="某县人民政府办公室",
        province="江西省",
        city="宜春市",
        county="某县",
        adcode="360902",
        level="county",
        report_year=2019,
        published_date="2020-01-20",
        site_name=None,
        attachments=[],
        text=text,
        content_hash=content_hash(text),
        encoding="utf-8",
        encoding_problem=None,
    )
    base.update(kw)
    return PageRecord(**base)


@pytest.fixture
def archive(tmp_path):
    a = Archive(tmp_path / "a.db")
    a.upsert_sites([{"site_id": "s1", "name": "一"}, {"site_id": "s2", "name": "二"}])
    yield a
    a.close()


def _counts(a):
    return {t: a.db[t].count for t in ("reports", "sightings", "pages")}


def test_same_page_twice_changes_nothing(archive):
    assert (
        archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record()) == "new"
    )
    before = _counts(archive)
    assert (
        archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t2", record=_record())
        == "unchanged"
    )
    assert _counts(archive) == before
    assert archive.db["reports"].get(1)["last_seen_at"] == "t2"


def test_republished_text_is_one_report_with_two_sightings(archive):
    archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record())
    assert (
        archive.record_page(
            url="http://b.test/9",
            site_id="s2",
            status=200,
            fetched_at="t1",
            record=_record(text="一、总体情况 全年收到申请12件"),
        )
        == "sighting"
    )
    assert _counts(archive) == {"reports": 1, "sightings": 2, "pages": 2}
    assert archive.db["reports"].get(1)["sightings"] == 2


def test_changed_text_at_a_known_url_updates_the_report(archive):
    archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record())
    assert (
        archive.record_page(
            url="http://a.test/1",
            site_id="s1",
            status=200,
            fetched_at="t2",
            record=_record(text="一、总体情况\n全年收到申请13件"),
        )
        == "changed"
    )
    assert archive.db["reports"].count == 1 and "13件" in archive.db["reports"].get(1)["text"]


def test_rejected_pages_are_recorded_with_their_reason(archive):
    assert (
        archive.record_page(
            url="http://a.test/2", site_id="s1", status=200, fetched_at="t1", record=_record(is_report=False)
        )
        == "rejected"
    )
    page = archive.db["pages"].get("http://a.test/2")
    assert page["is_report"] == 0 and page["reject_reason"] == "no" and archive.db["reports"].count == 0


def test_schema_is_wal_and_reopening_keeps_data(tmp_path):
    a = Archive(tmp_path / "b.db")
    a.upsert_sites([{"site_id": "s1", "name": "一"}])
    a.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record())
    assert a.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    a.close()
    again = Archive(tmp_path / "b.db")
    assert again.db["reports"].count == 1


def test_metadata_describes_every_table_and_column():
    from archive.serve import metadata

    described = metadata()["databases"]["nianbao"]["tables"]
    for table, (columns, _) in schema.TABLES.items():
        assert table in described and described[table]["description"]
        assert set(columns) == set(described[table]["columns"]), table


def test_a_copy_that_changes_is_split_off_and_the_others_keep_their_text(archive):
    original, edited = _record(), _record(text="一、总体情况\n全年收到申请99件")
    archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=original)
    archive.record_page(url="http://b.test/1", site_id="s2", status=200, fetched_at="t1", record=original)
    assert (
        archive.record_page(url="http://b.test/1", site_id="s2", status=200, fetched_at="t2", record=edited)
        == "changed"
    )
    assert (
        archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t3", record=original)
        == "unchanged"
    )
    assert (
        archive.record_page(url="http://b.test/1", site_id="s2", status=200, fetched_at="t3", record=edited)
        == "unchanged"
    )
    counts = {r["content_hash"]: r["sightings"] for r in archive.db["reports"].rows}
    assert counts == {original.content_hash: 1, edited.content_hash: 1}


def test_every_text_of_a_report_is_a_version(archive):
    archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record())
    archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t2", record=_record())
    archive.record_page(
        url="http://a.test/1",
        site_id="s1",
        status=200,
        fetched_at="t3",
        record=_record(text="一、总体情况\n全年收到申请13件"),
    )
    versions = list(archive.db["report_versions"].rows_where(order_by="version"))
    assert [(v["version"], v["fetched_at"]) for v in versions] == [(1, "t1"), (2, "t3")]
    assert archive.db["reports"].get(1)["versions"] == 2 and "13件" in archive.db["reports"].get(1)["text"]


def test_gone_when_every_sighting_is_gone_and_back_when_seen_again(archive):
    archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record())
    archive.record_page(url="http://b.test/1", site_id="s2", status=200, fetched_at="t1", record=_record())
    assert archive.record_gone("http://a.test/1", "t2")
    assert archive.db["reports"].get(1)["gone_at"] is None  # still online at b.test
    assert archive.record_gone("http://b.test/1", "t3")
    assert archive.db["reports"].get(1)["gone_at"] == "t3" and archive.db["reports"].count == 1
    assert not archive.record_gone("http://unknown.test/x", "t3")
    archive.record_page(url="http://b.test/1", site_id="s2", status=200, fetched_at="t4", record=_record())
    assert archive.db["reports"].get(1)["gone_at"] is None


def test_not_modified_updates_last_seen(archive):
    archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record(), etag='"x"')
    assert archive.record_not_modified("http://a.test/1", "t9") == "unchanged"
    assert (
        archive.db["reports"].get(1)["last_seen_at"] == "t9"
        and archive.db["pages"].get("http://a.test/1")["etag"] == '"x"'
    )


def test_unlisted_for_n_runs_is_gone_and_listing_resets_the_count(archive):
    archive.record_page(
        url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record(), list_url="http://a.test/"
    )
    assert not archive.record_unlisted("http://a.test/1", "t2", gone_after=2)
    archive.record_listed("http://a.test/1")
    assert not archive.record_unlisted("http://a.test/1", "t3", gone_after=2)
    assert archive.record_unlisted("http://a.test/1", "t4", gone_after=2)
    assert archive.db["reports"].get(1)["gone_at"] == "t4"


def test_a_page_gone_off_its_list_stays_gone_while_it_answers_and_is_back_when_listed(archive):
    """The vanish check asks an unlisted page again each night: its 200 is no return (that undid the
    mark at once); being offered by a list again is. A 404'd page answering again is back too."""
    archive.record_page(
        url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record(), list_url="http://a.test/"
    )
    for night in ("t2", "t3"):
        archive.record_unlisted("http://a.test/1", night, gone_after=2)
        archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at=night, record=_record())

    def gone():
        return (
            archive.db["reports"].get(1)["gone_at"],
            archive.db["pages"].get("http://a.test/1")["gone_at"],
            next(archive.db["sightings"].rows)["gone_at"],
        )

    assert gone() == ("t3", "t3", "t3")
    assert not archive.record_unlisted("http://a.test/1", "t4", gone_after=2)  # gone once, on t3
    archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t4", record=_record())
    assert gone() == ("t3", "t3", "t3")
    archive.record_listed("http://a.test/1")
    assert gone() == (None, None, None) and archive.db["pages"].get("http://a.test/1")["unlisted_runs"] == 0

    assert archive.record_gone("http://a.test/1", "t5")  # a 404 on its list
    archive.record_listed("http://a.test/1")
    assert gone() == ("t5", "t5", "t5")  # still listed, but it answered 404
    archive.record_page(
        url="http://a.test/1", site_id="s1", status=200, fetched_at="t6", record=_record(), list_url="http://a.test/"
    )
    assert gone() == (None, None, None)


def test_a_page_is_stored_all_or_nothing(archive, monkeypatch):
    from archive.store import search

    def fail(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(search, "index_report", fail)
    with pytest.raises(RuntimeError):
        archive.record_page(url="http://a.test/1", site_id="s1", status=200, fetched_at="t1", record=_record())
    assert _counts(archive) == {"reports": 0, "sightings": 0, "pages": 0}


def test_a_new_archive_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    """Creation killed half-way (here: the schema fails after its first tables) leaves no archive file,
    and the next start creates it whole, past the leftover temporary file."""
    real = schema.ensure
    made = []

    def half_then_fail(db):
        db["sites"].create({"site_id": str}, pk="site_id")
        made.append(db.table_names())
        raise KeyboardInterrupt  # as a kill would stop it

    monkeypatch.setattr(schema, "ensure", half_then_fail)
    path = tmp_path / "new.db"
    with pytest.raises(KeyboardInterrupt):
        Archive(path)
    assert made == [["sites"]] and not path.exists()
    monkeypatch.setattr(schema, "ensure", real)
    archive = Archive(path)
    assert {"sites", "reports", "sightings", "pages", "report_versions"} <= set(archive.db.table_names())
    archive.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]
