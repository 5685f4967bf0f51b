"""The server's warm-up (``ui.serve.warm_up``) leaves the first page a new visitor opens ready."""

from __future__ import annotations

import streamlit as st

import monitor.views.overzicht as overzicht
from tests.pages.app import open_page
from ui import serve


def test_after_the_warm_up_the_overzicht_is_not_built_again(monkeypatch):
    """The warm-up builds the Overzicht's view at the page's default dates, in the view cache
    every session shares: the first visitor's page only draws it."""
    st.cache_resource.clear()
    st.cache_data.clear()
    serve.warm_up()

    def built_again(*args, **kwargs):
        raise AssertionError("de Overzicht werd na het opwarmen opnieuw opgebouwd")

    monkeypatch.setattr(overzicht, "build_overzicht", built_again)
    at = open_page(None)  # the Overzicht is the default page
    assert at.title[0].value == "Overzicht"
