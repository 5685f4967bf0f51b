"""The cache rule (``ui.caching``) and what is drawn from it (``ui.figures``): what they key on,
that they return what the uncached call returns, and that a cached chart or image reaches the page
exactly as Streamlit would draw it."""

from __future__ import annotations

import io
from collections import Counter

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.pages.app import open_figures

from ui import caching, shell

CALLS: Counter = Counter()


def bar_chart(frame: pd.DataFrame, title: str = "") -> alt.Chart:
    """A small builder as the pages use them (module level, DataFrame in, chart out)."""
    CALLS["bar_chart"] += 1
    if frame.empty:
        raise ValueError("geen gegevens")
    return alt.Chart(frame, title=title).mark_bar().encode(x="period:T", y="value:Q", color="region:N") \
        .properties(width="container")


def tooltip_chart(frame: pd.DataFrame) -> alt.Chart:
    """A chart with tooltips: its figures become a table (``monitor.charts.tables``)."""
    return alt.Chart(frame).mark_bar().encode(
        x="period:T", y="value:Q", tooltip=[alt.Tooltip("region:N", title="Regio"), alt.Tooltip("value:Q", title="Waarde")])


def map_chart(names: list[str]) -> alt.LayerChart:
    """GeoJSON values stay in the spec (Streamlit does not turn them into Arrow)."""
    features = [{"type": "Feature", "properties": {"name": name}, "name": name,
                 "geometry": {"type": "Polygon", "coordinates": [[[i, 52], [i + 1, 52], [i + 1, 53], [i, 52]]]}}
                for i, name in enumerate(names)]
    data = alt.Data(values=features)
    return alt.layer(alt.Chart(data).mark_geoshape(), alt.Chart(data).mark_text().encode(text="name:N")) \
        .project(type="mercator")


def add_one(frame: pd.DataFrame) -> pd.DataFrame:
    CALLS["add_one"] += 1
    return frame.assign(value=frame["value"] + 1)


def _frame(rows: int = 6) -> pd.DataFrame:
    return pd.DataFrame({
        "period": pd.date_range("2020-01-01", periods=rows, freq="YS"),
        "region": pd.array(["Twente", "Nederland"] * (rows // 2), dtype="str"),
        "value": np.arange(rows, dtype=float),
        "count": pd.array(list(range(rows - 1)) + [None], dtype="Int64"),
        "is_sample": [False] * rows,
    })


# --- content_digest -----------------------------------------------------------------------------

def test_the_digest_follows_the_content_not_the_storage():
    frame = _frame()
    same = frame.copy()
    # what pandas caches or consolidates while a frame is used must not change its key
    same["count"].isna()
    same["extra"] = 1
    same = same.drop(columns="extra")
    assert caching.content_digest(frame) == caching.content_digest(same)
    rows = frame[frame["value"] >= 0]
    before = caching.content_digest(rows)
    rows.groupby("region")["count"].sum()
    assert caching.content_digest(rows) == before


@pytest.mark.parametrize("change", ["value", "count", "region", "period", "is_sample", "index", "column"])
def test_any_change_gives_another_digest(change):
    frame = _frame()
    other = frame.copy()
    if change == "value":
        other.loc[3, "value"] = 3.5
    elif change == "count":
        other.loc[5, "count"] = 0
    elif change == "region":
        other.loc[0, "region"] = "Enschede"
    elif change == "period":
        other.loc[1, "period"] = pd.Timestamp("2021-06-30")
    elif change == "is_sample":
        other.loc[2, "is_sample"] = True
    elif change == "index":
        other.index = other.index + 1
    else:
        other = other.rename(columns={"value": "waarde"})
    assert caching.content_digest(frame) != caching.content_digest(other)


def test_text_is_keyed_by_its_strings_not_by_how_arrow_holds_them():
    words = pd.Series(["Almelo", None, "", "Borne", "Dinkelland", "Enschede"], dtype="str")
    assert isinstance(words.array, pd.arrays.ArrowStringArray)
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([["Almelo", None, ""], ["Borne", "Dinkelland",
                                                                                             "Enschede"]])), dtype="str")
    assert caching.content_digest(words.to_frame("w")) == caching.content_digest(chunked.to_frame("w"))
    whole = pa.array(["Almelo", None, "", "Borne", "Dinkelland", "Enschede"])
    sliced = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([whole.slice(3)])))  # its buffers, from an offset
    assert sliced.array.__arrow_array__().chunk(0).offset == 3
    assert caching.content_digest(sliced.to_frame("w")) == caching.content_digest(
        pd.Series(["Borne", "Dinkelland", "Enschede"], dtype=sliced.dtype).to_frame("w"))
    for other in (["Almelo", "", "", "Borne", "Dinkelland", "Enschede"],  # empty, not missing
                  ["Almelo", None, "", "Borne", "Dinkelland", "Enschedé"],
                  ["Almel", None, "o", "Borne", "Dinkelland", "Enschede"]):  # same bytes, other borders
        assert caching.content_digest(words.to_frame("w")) != \
            caching.content_digest(pd.Series(other, dtype="str").to_frame("w"))


def test_large_frames_are_not_sampled():
    """Streamlit's own hash looks at 10.000 of 50.000+ rows; one changed value must count."""
    frame = pd.DataFrame({"value": np.arange(60_000, dtype=float), "name": ["x"] * 60_000})
    other = frame.copy()
    other.loc[54_321, "value"] = -1.0
    assert caching.content_digest(frame) != caching.content_digest(other)


# --- view_cache ----------------------------------------------------------------------------------

def totals(peildatum: str, regio: tuple = ()) -> pd.DataFrame:
    """A view model as a page has one: widget values in, built from what it loads."""
    CALLS["totals"] += 1
    return _frame().assign(peildatum=peildatum, regio=len(regio))


def other_totals(peildatum: str, regio: tuple = ()) -> pd.DataFrame:
    CALLS["other_totals"] += 1
    return _frame()


def test_a_view_model_runs_once_per_data_version_and_widget_values(monkeypatch):
    CALLS.clear()
    view = caching.view_cache(totals)
    first = view("2026-11-22", ("GM0153",))
    again = view("2026-11-22", ("GM0153",))
    assert CALLS["totals"] == 1 and again is first  # shared by every session and run, never copied
    view("2026-11-22", ("GM0153", "GM0141"))
    view("2026-12-01", ("GM0153",))
    assert CALLS["totals"] == 3
    version = caching.db.version()
    monkeypatch.setattr(caching.db, "version", lambda: (version[0], ("na een import",)))
    assert view("2026-11-22", ("GM0153",)) is not first  # a new data version: built again
    assert CALLS["totals"] == 4


def test_each_view_model_has_a_cache_of_its_own():
    CALLS.clear()
    caching.view_cache(totals)("2026-01-01")
    caching.view_cache(other_totals)("2026-01-01")
    assert CALLS["totals"] == 1 and CALLS["other_totals"] == 1


def test_a_view_model_is_not_keyed_on_a_frame():
    with pytest.raises(Exception, match="niet op een DataFrame"):
        caching.view_cache(add_one)(_frame())


def test_a_changed_shared_result_is_caught(monkeypatch):
    monkeypatch.setenv(caching.VERIFY_ENV, "1")
    first = caching.view_cache(totals)("2026-02-02")
    first.loc[0, "value"] = 99  # a caller that changes what it got is caught
    with pytest.raises(AssertionError, match="gewijzigd"):
        caching.verify_shared()
    first.loc[0, "value"] = 0.0
    caching.verify_shared()  # each check reads only what was made or handed out since the last one
    assert caching._checks == []
    again = caching.view_cache(totals)("2026-02-02")  # a cache hit: the same object, handed out again
    assert again is first and len(caching._checks) == 1
    again.loc[0, "value"] = 7
    with pytest.raises(AssertionError, match="gewijzigd"):
        caching.verify_shared()
    again.loc[0, "value"] = 0.0


def test_a_view_models_frames_are_read_for_their_key_once(monkeypatch):
    """A chart drawn from a frame of a view model (shared, never changed) is looked up by the
    digest its frame got the first time; any other frame is read on every call."""
    shared = caching.view_cache(totals)("2026-03-03")
    reads = Counter()
    digest = caching.content_digest

    def counting(frame):
        reads[id(frame)] += 1
        return digest(frame)

    monkeypatch.setattr(caching, "content_digest", counting)
    own = _frame()
    for _ in range(3):
        assert caching.frame_key(shared) == digest(shared)
        assert caching.frame_key(own) == digest(own)
    assert reads[id(shared)] == 1 and reads[id(own)] == 3
    CALLS.clear()
    for _ in range(2):
        shell.chart_spec(bar_chart, shared, title="Gedeeld")
    assert CALLS["bar_chart"] == 1 and reads[id(shared)] == 1


def test_a_cached_call_does_not_format_its_frames_unless_checked(monkeypatch):
    """A shared result is named by its arguments' repr only for ``MONITOR_VERIFY_SHARED``: pandas
    formats a whole frame for its repr, milliseconds on every page view."""
    monkeypatch.delenv(caching.VERIFY_ENV, raising=False)

    def no_repr(self):
        raise AssertionError("een frame werd opgemaakt")

    monkeypatch.setattr(pd.DataFrame, "__repr__", no_repr)
    frame = _frame()
    for _ in range(2):
        shell.chart_spec(bar_chart, frame, title="Zonder repr")
        caching.view_cache(totals)("2026-04-04")


def test_a_cached_call_gives_streamlits_hasher_one_short_key(monkeypatch):
    """A view model's or a chart's arguments are keyed in one pass (``call_key``); Streamlit's
    hasher, which walks them object by object and reads the signature on every call, only
    sees the key, never a frame or the widget values."""
    from ui.streamlit_private import cache_hasher_module

    cache_utils = cache_hasher_module()

    hashed = []
    real = cache_utils.update_hash

    def recording(value, *args, **kwargs):
        hashed.append(value)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(cache_utils, "update_hash", recording)
    frame = _frame()
    shell.chart_spec(bar_chart, frame, title="Eén sleutel")
    caching.view_cache(totals)("2026-05-05", ("GM0153",))
    assert len(hashed) == 4 and hashed[0] == hashed[2] == "key", hashed  # per call: the name and the digest
    assert all(isinstance(v, str) and len(v) <= 40 for v in hashed), hashed


def test_a_call_key_follows_the_content():
    key = caching.call_key
    assert key(("f", (_frame(),), {})) == key(("f", (_frame(),), {}))  # equal frames made apart
    assert key(("f", (_frame(),), {})) != key(("f", (add_one(_frame()),), {}))
    assert key(("f", ("2026",), {"regio": ("GM0153",)})) != key(("f", ("2026",), {"regio": ("GM0141",)}))
    assert key(("f", (bar_chart,), {})) != key(("f", (tooltip_chart,), {}))  # functions by name
    assert key(("f", (lambda: 1,), {})) is None  # not picklable: Streamlit's hasher keys that call


def test_a_call_with_a_local_function_is_still_cached():
    CALLS.clear()

    def local(frame):
        return bar_chart(frame, title="Lokaal")

    for _ in range(2):
        shell.chart_spec(local, _frame())
    assert CALLS["bar_chart"] == 1


def test_a_shared_frames_digest_goes_with_the_frame():
    frame = _frame()
    caching._share({"rows": [frame]})
    caching.frame_key(frame)
    assert id(frame) in caching._shared_frames
    key = id(frame)
    del frame
    assert key not in caching._shared_frames


# --- chart_spec, cached_table --------------------------------------------------------------------

def test_a_chart_is_built_once_and_nothing_to_draw_is_remembered():
    CALLS.clear()
    frame = _frame()
    spec = shell.chart_spec(bar_chart, frame, title="Trend")
    assert shell.chart_spec(bar_chart, frame, title="Trend") == spec
    assert CALLS["bar_chart"] == 1
    shell.chart_spec(bar_chart, frame, title="Andere titel")
    assert CALLS["bar_chart"] == 2
    empty = frame.iloc[0:0]
    for _ in range(2):
        with pytest.raises(ValueError, match="geen gegevens"):
            shell.chart_spec(bar_chart, empty)
    assert CALLS["bar_chart"] == 3


def test_cached_table_is_the_arrow_table_streamlit_makes():
    frame = _frame().set_index("region")
    assert shell.cached_table(add_one, frame).equals(pa.Table.from_pandas(add_one(frame)))


# --- what reaches the page -----------------------------------------------------------------------

def _draw_both():
    import streamlit as st

    from monitor.charts.common import without_generated_aria
    from ui import shell
    from tests.unit.test_ui_cache import _frame, bar_chart, map_chart

    # shell.chart draws the chart without Vega's generated (English) aria labels
    frame = _frame()
    st.altair_chart(without_generated_aria(bar_chart(frame, title="Trend")), width="stretch")
    shell.chart(bar_chart, frame, title="Trend")
    st.altair_chart(without_generated_aria(map_chart(["Almelo", "Borne"])), width="stretch")
    shell.chart(map_chart, ["Almelo", "Borne"])


def test_a_cached_chart_is_the_element_st_altair_chart_makes():
    at = AppTest.from_function(_draw_both)
    for run in range(3):  # the first run draws (or records) the charts, the next ones replay them
        at.run()
        assert not at.exception, at.exception
        charts = at.get("vega_lite_chart")
        assert len(charts) == 4, run
        for direct, cached in (charts[0:2], charts[2:4]):
            assert cached.proto.SerializeToString(deterministic=True) == \
                direct.proto.SerializeToString(deterministic=True)
        assert charts[0].proto.datasets and "Almelo" in charts[2].proto.spec
        assert '"aria": false' in charts[1].proto.spec or '"aria":false' in charts[1].proto.spec


def _draw_in_columns():
    import streamlit as st

    from ui import shell
    from tests.unit.test_ui_cache import _frame, tooltip_chart

    left, right = st.columns(2)
    with right:
        shell.chart(tooltip_chart, _frame())
    with left:
        st.markdown("links")


def test_a_replayed_chart_lands_in_the_container_it_is_drawn_in_with_its_figures():
    at = AppTest.from_function(_draw_in_columns)
    for _ in range(3):
        at.run()
        assert not at.exception, at.exception
        left, right = at.columns
        assert [m.value for m in left.markdown] == ["links"]
        assert len(right.get("vega_lite_chart")) == 1 and len(right.expander) == 1
        # closed: the figures are not sent until it is opened
        assert right.expander[0].label == shell.DATA_LABEL and len(right.expander[0].table) == 0
        assert not left.get("vega_lite_chart")
    assert open_figures(at) == 1
    for _ in range(2):
        right = at.columns[1]
        assert len(right.get("vega_lite_chart")) == 1 and len(right.expander[0].table) == 1
        assert right.expander[0].table[0].proto.SerializeToString(deterministic=True) == \
            _figure_table_proto()
        at.run()


def _figure_table_proto() -> bytes:
    """The figures of ``tooltip_chart`` as ``st.table`` draws them."""
    def draw():
        import streamlit as st

        from monitor.charts.tables import data_tables
        from ui import shell
        from tests.unit.test_ui_cache import _frame, tooltip_chart

        st.table(data_tables(shell.chart_spec(tooltip_chart, _frame()))[0], hide_index=True)
    at = AppTest.from_function(draw).run()
    return at.table[0].proto.SerializeToString(deterministic=True)


def _same_chart_twice():
    import streamlit as st

    from ui import shell
    from tests.unit.test_ui_cache import _frame, tooltip_chart

    shell.chart(tooltip_chart, _frame())
    st.markdown("tussen")
    shell.chart(tooltip_chart, _frame())


def test_the_same_chart_twice_gets_two_figure_boxes_each_opened_on_its_own():
    at = AppTest.from_function(_same_chart_twice).run()
    assert not at.exception, at.exception
    assert [e.label for e in at.expander] == [shell.DATA_LABEL] * 2
    first, second = (e.proto.id.split("-", 2)[2] for e in at.expander)
    assert first != second and second == f"{first}-2"
    at.session_state[second] = True
    at.run()
    assert [len(e.table) for e in at.expander] == [0, 1]


def _png(width: int, height: int, mode: str) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), (30, 90, 160, 255)[: len(mode)]).save(buffer, format="PNG")
    return buffer.getvalue()


WIDE_RGBA = _png(2400, 900, "RGBA")
WIDE_RGB = _png(2000, 800, "RGB")
SMALL = _png(600, 300, "RGBA")


def _images():
    import streamlit as st

    from ui import shell
    from tests.unit.test_ui_cache import SMALL, WIDE_RGB, WIDE_RGBA

    for image in (WIDE_RGBA, WIDE_RGB, SMALL):
        st.image(image, width="stretch")
        st.image(shell.image_for_screen(image), width="stretch")


def test_an_image_prepared_for_the_screen_is_served_as_st_image_would_serve_it():
    at = AppTest.from_function(_images).run()
    assert not at.exception, at.exception
    urls = [image.proto.imgs[0].url for image in at.get("image")]
    assert len(urls) == 6
    for direct, prepared in zip(urls[0::2], urls[1::2]):
        assert direct == prepared  # the media id is a hash of the bytes served
    assert shell.image_for_screen(SMALL) == SMALL
    assert Image.open(io.BytesIO(shell.image_for_screen(WIDE_RGBA))).width < 2400


def _tables_both():
    import streamlit as st

    from monitor.charts.tables import data_tables
    from ui import shell
    from tests.unit.test_ui_cache import _frame, tooltip_chart

    frame = _frame()
    for table in data_tables(shell.chart_spec(tooltip_chart, frame)):
        st.table(table, hide_index=True)
    for table in shell.chart_tables(tooltip_chart, frame):
        st.table(table, hide_index=True)


def test_a_chart_table_is_drawn_as_st_table_draws_its_frame():
    at = AppTest.from_function(_tables_both).run()
    assert not at.exception, at.exception
    tables = at.table
    assert len(tables) == 2 and tables[0].proto.arrow_data.data
    assert tables[1].proto.SerializeToString(deterministic=True) == tables[0].proto.SerializeToString(deterministic=True)


def _shared_table_both():
    import streamlit as st

    from ui import shell
    from tests.unit.test_ui_cache import _frame, add_one

    st.table(add_one(_frame()), hide_index=True)
    shell.table(add_one(_frame()), hide_index=True)  # its Arrow table made once
    shell.table(add_one(_frame()), hide_index=True)  # and taken from the cache


def test_ui_table_draws_a_shared_frame_as_st_table_does():
    at = AppTest.from_function(_shared_table_both)
    for _ in range(2):
        at.run()
        assert not at.exception, at.exception
        direct, shared, own = (t.proto.SerializeToString(deterministic=True) for t in at.table)
        assert shared == direct and own == direct


def _tables_in_columns():
    import streamlit as st

    from ui import shell
    from tests.unit.test_ui_cache import _frame, add_one

    left, right = st.columns(2)
    with right:
        shell.table(add_one(_frame()), hide_index=True)
    shell.table(add_one(_frame()), hide_index=False)  # other options: drawn on its own


def test_a_table_drawn_before_is_replayed_where_it_is_drawn(monkeypatch):
    """``shell.table`` draws a table once per content and options; after that Streamlit replays
    its element (without writing the Arrow table out again), in the container it is drawn in."""
    import streamlit

    drawn = Counter()
    real = streamlit.table

    def counting(*args, **kwargs):
        drawn["table"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(streamlit, "table", counting)
    at = AppTest.from_function(_tables_in_columns)
    for _ in range(3):
        at.run()
        assert not at.exception, at.exception
        right = at.columns[1].table
        assert len(right) == 1 and len(at.table) == 2
        assert at.table[0].proto.SerializeToString() != at.table[1].proto.SerializeToString()
    assert drawn["table"] <= 2  # the first run only (a test before may have drawn them already)


def test_the_unreadable_files_notice_checks_the_folder_once_per_data_version(monkeypatch):
    """The sidebar's notice (``shell.dataset_notice``) checks the dataset files once per data
    version and state of the failed scans, not on every page view; a new data version checks
    again."""
    import streamlit as st

    from monitor.data import forensics

    checks = Counter()
    original = forensics.dataset_problems

    def counted(directory=None):
        checks["dataset_problems"] += 1
        return original(directory)

    monkeypatch.setattr(forensics, "dataset_problems", counted)
    version = caching.db.version()
    monkeypatch.setattr(caching.db, "version", lambda: (version[0], ("een nieuwe versie", id(checks))))
    for _ in range(3):
        shell.dataset_notice(st.empty())
    assert checks["dataset_problems"] == 1
    monkeypatch.setattr(caching.db, "version", lambda: (version[0], ("nog een versie", id(checks))))
    shell.dataset_notice(st.empty())
    assert checks["dataset_problems"] == 2
