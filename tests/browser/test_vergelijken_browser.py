"""The Vergelijken page in Chromium: an analyst widens the peer group of Enschede, the URL keeps the
choice, and the copied link opens the same comparison."""

from __future__ import annotations

import re

import pytest

# the same waiting and picking as the Indicatoren page's test
from tests.browser.test_indicatoren_browser import TIMEOUT, _pick as _select, _ready

pytestmark = pytest.mark.browser


def test_widening_the_peer_group_is_kept_in_the_url(app_url, page):
    page.goto(f"{app_url}/vergelijken")
    _ready(page)
    page.get_by_text(re.compile(r"gemeenten met 150\.000–250\.000 inwoners en sterk stedelijk \(n = \d+\)")) \
        .first.wait_for(timeout=TIMEOUT)

    _select(page, "Vergelijken met", "zelfde grootteklasse", "zelfde grootteklasse")
    page.wait_for_url(re.compile(r"groep=zelfde\+grootteklasse|groep=zelfde%20grootteklasse"), timeout=TIMEOUT)
    page.get_by_text(re.compile(r"^Vergelijkbare gemeenten: gemeenten met 150\.000–250\.000 inwoners \(n = \d+\)\.$")) \
        .wait_for(timeout=TIMEOUT)

    # the link as copied from the address bar opens the same group
    link = page.url
    page.goto(link)
    _ready(page)
    assert page.get_by_role("combobox", name="Vergelijken met", exact=True).input_value() == "zelfde grootteklasse"
    page.get_by_text(re.compile(r"^Vergelijkbare gemeenten: gemeenten met 150\.000–250\.000 inwoners \(n = \d+\)\.$")) \
        .wait_for(timeout=TIMEOUT)
    # the chart of the peers is drawn, with its Dutch text alternative
    page.locator("[aria-label*='Spreiding van Overgewicht']").first.wait_for(timeout=TIMEOUT)
