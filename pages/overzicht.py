"""Overzicht: per themalijn its ambition, headline indicator against target, projects per phase
against plan, the projects behind schedule, and what changed since the previous peildatum."""

from datetime import date, timedelta

import streamlit as st

from monitor.views.overzicht import SINCE_DAYS, Card, overzicht_view
from ui import shell
from monitor.domain.indicators import headline_figure
from monitor.domain.text import format_short_date, md_literal, with_period

st.title("Overzicht")
st.markdown("De stand van Twentse Koers per themalijn: de ambitie, de belangrijkste indicator tegen het doel, "
            "de projecten per fase tegen het plan, en wat er sinds de vorige peildatum is veranderd.")

cols = st.columns([1, 1, 3])
peildatum = cols[0].date_input("Peildatum", value=date.today(), max_value=date.today(), key="peildatum",
                               bind="query-params", format="DD-MM-YYYY")
since = cols[1].date_input("Vorige peildatum", value=peildatum - timedelta(days=SINCE_DAYS), max_value=peildatum,
                           key="vorige", bind="query-params", format="DD-MM-YYYY")

view = shell.view_cache(overzicht_view)(peildatum, since)


def regions_line(indicator) -> None:
    """Twente among the regions of its figure's kind, one line under the figure."""
    found = view.regions.get(indicator.indicator_id)
    if found is not None:
        st.caption(md_literal(f"Tussen de regio's: {found.sentence}"))


def card(data: Card) -> None:
    info = data.info
    st.subheader(md_literal(info.name))
    st.markdown(f"*{md_literal(info.ambition_short)}*")

    indicator, headline = data.headline.indicator, data.headline.headline
    twente = headline.latest
    if twente is None:
        st.info(md_literal(headline.text))
    else:
        st.metric(md_literal(with_period(f"{indicator.name} · Twente", twente["period"])),
                  md_literal(headline_figure(twente, indicator.unit)),
                  delta=md_literal(headline.status), delta_color="off")
        st.caption(md_literal(headline.text))
        regions_line(indicator)
        shell.source_caption(twente["source_title"], twente["source_peildatum"])
    if data.headline.reference:
        st.caption(md_literal(data.headline.reference))
    for real in data.real:
        latest = real.headline.latest
        if latest is None:
            continue
        st.metric(md_literal(with_period(f"{real.indicator.name} · Twente", latest["period"])),
                  md_literal(headline_figure(latest, real.indicator.unit)),
                  delta=md_literal(real.headline.status), delta_color="off",
                  chart_data=real.trend if len(real.trend) > 1 else None, chart_type="line",
                  help=md_literal(real.headline.text))
        regions_line(real.indicator)
        shell.source_caption(latest["source_title"], latest["source_peildatum"])
        if real.reference:
            st.caption(md_literal(real.reference))

    st.markdown(f"**Projecten:** {md_literal(data.status)}.")
    # One row per phase: all six phases fit the card at any width (no horizontal scrolling).
    shell.table(data.phases, hide_index=True)
    st.markdown(f"**Achter op schema:** {md_literal(data.behind)}.")
    changed = data.changed
    if not changed:
        st.markdown(f"**Sinds {format_short_date(since)}:** geen faseovergangen.")
    else:
        st.markdown(f"**Sinds {format_short_date(since)}:** " + md_literal("; ".join(
            f"{name} → {phase} ({format_short_date(effective)})" for name, phase, effective in changed)))
    st.caption(md_literal(data.projects_source))
    page = shell.PAGES.get(info.themalijn)
    if page is not None:
        st.page_link(page, label=f"Naar {md_literal(info.name)}", icon=":material/arrow_forward:")


# A row of two cards at a time: on a narrow screen the columns stack, and the cards then come in
# the order of the navigation (a grid of two columns would stack as 1, 3, 2, 4).
found = view.cards
for first in range(0, len(found), 2):
    for column, data in zip(st.columns(2), found[first:first + 2]):
        with column.container(border=True):
            card(data)
