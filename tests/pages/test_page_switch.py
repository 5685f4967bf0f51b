"""A choice made on one page does not follow the user to another page that uses the same
URL key for a widget of another kind (found by the load test: Projecten's Themalijn
multiselect showed up, as a list, in Bronnen's Themalijn selectbox)."""

from __future__ import annotations

from tests.pages.app import open_page


def _switch(at, page: str):
    at.query_params.clear()  # a sidebar link: the new page's URL has no parameters
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_multiselect_choice_does_not_reach_a_selectbox_on_another_page():
    at = open_page("projecten")
    box = next(m for m in at.multiselect if m.key == "themalijn")
    box.set_value(["ouderen"]).run()
    assert not at.exception
    _switch(at, "bronnen")
    themalijn = next(s for s in at.selectbox if s.key == "themalijn")
    assert themalijn.value is None
    assert "themalijn" not in at.query_params


def test_a_gemeente_chosen_on_veilig_thuis_is_not_chosen_on_the_next_page():
    at = open_page("veilig_thuis", {"gemeente": "Borne"})
    assert next(s for s in at.selectbox if s.key == "gemeente").value == "GM0147"
    _switch(at, "indicatoren")
    assert "gemeente" not in at.query_params
    _switch(at, "veilig_thuis")
    assert next(s for s in at.selectbox if s.key == "gemeente").value != "GM0147"


def test_the_navigation_pages_are_made_once_and_each_run_gets_its_own(monkeypatch):
    """``st.Page`` objects (a file check and an icon check each) are made once per process
    (``shell.run_copies``); every run, in every session, gets copies it can run, switching
    pages included."""
    import streamlit

    from ui import shell

    made = []
    real = streamlit.Page

    def counting(*args, **kwargs):
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(streamlit, "Page", counting)
    monkeypatch.setattr(shell, "_NAVIGATION", {}, raising=False)
    first = open_page("bronnen")
    second = open_page("over")
    for at in (first, second):
        at.run()
        assert not at.exception, at.exception
    second.switch_page("pages/bronnen.py").run()
    assert not second.exception, second.exception
    assert any("Bronnen" in h.value for h in [*second.title, *second.header])
    from dashboard import PAGES

    assert len(made) == len(PAGES)  # five runs and a switch: made once


def _sidebar_links(at) -> list[bytes]:
    return [e.proto.SerializeToString(deterministic=True) for e in at.sidebar.get("page_link")]


def test_the_sidebar_links_are_drawn_once_and_replayed_on_every_page(monkeypatch):
    """The sidebar's page list is the same on every page and in every session: its elements are
    drawn once and replayed (``shell.sidebar_navigation``), a link per page of the registry under
    its section's heading, the current page marked by the browser (the link names the page)."""
    import streamlit
    from ui.streamlit_private import delta_generator_class

    DeltaGenerator = delta_generator_class()

    from dashboard import PAGES
    from ui import shell

    made = []
    real = DeltaGenerator.page_link

    def counting(self, *args, **kwargs):
        made.append(kwargs.get("label"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "page_link", counting)
    monkeypatch.setattr(streamlit, "page_link", lambda *args, **kwargs: counting(streamlit._main, *args, **kwargs))
    if hasattr(shell, "_drawn_links"):
        shell._drawn_links.clear()  # drawn before in this process: draw it again
    first = open_page("bronnen")
    second = open_page("over")
    links = _sidebar_links(first)
    assert len(links) == len(PAGES) and links == _sidebar_links(second)
    assert [e.proto.label for e in first.sidebar.get("page_link")] == [p.title for p in PAGES]
    # a section's heading is its element's last paragraph (the first shares one with the intro)
    headings = [m.value.split("\n\n")[-1] for m in first.sidebar.markdown if m.value.endswith("**")]
    assert headings == [f"**{s}**" for s in dict.fromkeys(p.section for p in PAGES)]
    titles = [p.title for p in PAGES]
    assert [label for label in made if label in titles] == titles  # two sessions, four runs: drawn once
