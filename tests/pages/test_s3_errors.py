"""Every page on a broken S3 store: an unreachable endpoint, access refused, a
missing bucket, a damaged pointer, a missing or damaged generation object. Each shows a Dutch
message naming the object, never an exception box; the log gets the technical detail. Against
moto's real S3 API, started here (``tests/s3server.py``)."""

from __future__ import annotations

import json
import logging

import pytest
from streamlit.testing.v1 import AppTest

pytest.importorskip("moto.server")

from dashboard import page_modules  # noqa: E402
from monitor.data import db, objectstore, store  # noqa: E402
from monitor.domain.text import shown_text  # noqa: E402
from monitor.serving.netutil import free_port  # noqa: E402
from tests import s3server  # noqa: E402
from tests.pages.app import DASHBOARD  # noqa: E402

PAGES = [page.name for page in page_modules()]  # every page module of the registry
FOOTER_QUERY = "data_peildatum"  # the footer's, on every page


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3server.threaded_server() as url:
        yield url


def _run_pages(url: str, monkeypatch, pages: list[str]) -> dict[str, AppTest]:
    monkeypatch.setenv(objectstore.DATA_URL_ENV, url)
    monkeypatch.setenv(objectstore.objectcache.CACHE_DIR_ENV, "uit")
    done = {}
    for page in pages:
        at = AppTest.from_file(DASHBOARD, default_timeout=90)
        at.run()
        if page != "overzicht":
            at.switch_page(f"pages/{page}.py")
            at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        done[page] = at
    return done


def _assert_named(done: dict[str, AppTest], named: str, words: str) -> None:
    for page, at in done.items():
        errors = [shown_text(e.value) for e in at.error]  # as read: escapes and word joiners resolved
        assert any(named in text and words in text for text in errors), (page, errors)
        assert not any("Traceback" in text or "botocore" in text for text in errors), (page, errors)


def _damage(bucket: objectstore.S3Store, how: str) -> str:
    """Break the bucket's dataset as ``how`` says; returns the object the message must name."""
    pointer = bucket.pointer()
    rel = pointer.tables["projects"]
    if how == "pointer not json":
        bucket.put(objectstore.POINTER, b"{niet: json")
        return bucket.object_url(objectstore.POINTER)
    if how == "pointer wrong fields":
        bucket.put(objectstore.POINTER, json.dumps({"generation": 5, "tables": ["projects"]}).encode())
        return bucket.object_url(objectstore.POINTER)
    if how == "pointer outside a generation":
        tables = {**pointer.tables, "projects": "../elders/projects.parquet"}
        bucket.put(objectstore.POINTER, json.dumps({"generation": pointer.generation, "tables": tables}).encode())
        return bucket.object_url(objectstore.POINTER)
    if how == "pointer names a missing generation":
        missing = "gen-20250101T000000000000-weg00000/projects.parquet"
        tables = {**pointer.tables, "projects": missing}
        bucket.put(objectstore.POINTER, json.dumps({"generation": "gen-20250101T000000000000-weg00000",
                                                    "tables": tables}).encode())
        return bucket.object_url(missing)
    if how == "table object missing":
        bucket.client.delete_object(Bucket=bucket.bucket, Key=bucket.key(rel))
        return bucket.object_url(rel)
    if how == "table object damaged":
        bucket.client.put_object(Bucket=bucket.bucket, Key=bucket.key(rel), Body=b"PAR1 kapot")
        return bucket.object_url(rel)
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["pointer not json", "pointer wrong fields", "pointer outside a generation",
                                 "pointer names a missing generation", "table object missing",
                                 "table object damaged"])
def test_a_damaged_dataset_object_is_named_on_the_page(s3_endpoint, monkeypatch, caplog, how):
    url = s3server.committed_datasets_prefix()
    named = _damage(store.remote(url), how)
    with caplog.at_level(logging.WARNING, logger="monitor.data.objectstore"):
        done = _run_pages(url, monkeypatch, ["overzicht", "projecten"])
    _assert_named(done, named.rsplit("/", 1)[0], named.rsplit("/", 1)[1])
    assert named.split("/", 3)[3] in caplog.text  # the log names it, with the technical reason


def _reading_datasets(pages: list[str]) -> set[str]:
    """The pages that query the datasets beyond the footer, as they open on the committed ones."""
    reading = set()
    for page in pages:
        at = AppTest.from_file(DASHBOARD, default_timeout=90)
        at.run()  # the start page (Overzicht)
        with db.recording() as calls:
            at.switch_page(f"pages/{page}.py")
            at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        if any(name != FOOTER_QUERY for name, _params in calls):
            reading.add(page)
    return reading


def test_an_unreachable_endpoint_on_every_page(monkeypatch, caplog):
    """Nothing listens on the endpoint's port: every page that reads the datasets says so,
    naming the object; the pages that need no data work."""
    port = free_port()
    for key, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_DEFAULT_REGION": "us-east-1",
                       objectstore.ENDPOINT_ENV: f"http://127.0.0.1:{port}"}.items():
        monkeypatch.setenv(key, value)
    with caplog.at_level(logging.WARNING, logger="monitor.data.objectstore"):
        done = _run_pages("s3://onbereikbaar/monitor", monkeypatch, PAGES)
    failed = {page: at for page, at in done.items() if at.error}
    assert "overzicht" in failed
    _assert_named(failed, "s3://onbereikbaar/monitor/current", "niet bereikbaar")
    monkeypatch.undo()  # the committed datasets again
    assert not _reading_datasets(sorted(set(PAGES) - set(failed)))  # only pages that need no data work
    assert "EndpointConnectionError" in caplog.text


def test_access_refused_and_a_missing_bucket(s3_endpoint, monkeypatch):
    url = s3server.committed_datasets_prefix()
    done = _run_pages(f"s3://bestaat-niet-{free_port()}/x", monkeypatch, ["overzicht"])
    _assert_named(done, "current", "de bucket bestaat niet")
    # moto checks credentials from now on; the tests' keys are unknown to it.
    monkeypatch.setattr("moto.settings.INITIAL_NO_AUTH_ACTION_COUNT", 0)
    store.remote(url).changed()
    objectstore._stores.clear()  # a fresh client: no pointer remembered from before
    done = _run_pages(url, monkeypatch, ["overzicht", "bronnen"])
    _assert_named(done, f"{url}/current", "weigert de toegang")


def test_a_large_tables_object_scanned_through_s3fs(s3_endpoint, monkeypatch, caplog):
    """A table too large for memory is a DuckDB view on the object (s3fs, cache off): its object
    gone before the view is made, or damaged after, is named too (not DuckDB's exception)."""
    from monitor.data import catalog, db

    monkeypatch.setattr(catalog, "IN_MEMORY_BYTES", 0)  # every table a view on its object
    url = s3server.committed_datasets_prefix()
    bucket = store.remote(url)
    rel = bucket.pointer().tables["projects"]
    bucket.client.delete_object(Bucket=bucket.bucket, Key=bucket.key(rel))
    with caplog.at_level(logging.WARNING, logger="monitor.data.objectstore"):
        _assert_named(_run_pages(url, monkeypatch, ["overzicht"]), bucket.object_url(rel).rsplit("/", 1)[0],
                      "ontbreekt in de opslag")
    assert bucket.object_url(rel) in caplog.text

    url = s3server.committed_datasets_prefix()
    bucket = store.remote(url)
    rel = bucket.pointer().tables["projects"]
    _run_pages(url, monkeypatch, ["overzicht"])  # the views are made on the good object
    bucket.client.put_object(Bucket=bucket.bucket, Key=bucket.key(rel), Body=b"kapot")
    bucket.fs.invalidate_cache()
    db._results.clear()  # no query result from before the damage
    _assert_named(_run_pages(url, monkeypatch, ["projecten"]), bucket.object_url(rel).rsplit("/", 1)[0],
                  "projects.parquet")
