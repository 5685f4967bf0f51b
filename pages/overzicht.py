"""Overzicht: per themalijn its ambition, headline indicator against target, projects per phase
against plan, the projects behind schedule, and what changed since the previous peildatum."""

from datetime import date, timedelta

import streamlit as st

from monitor import db, ui
from monitor.overview import overview_cards
from monitor.text import format_date, format_short_date, format_value

ui.ensure_app_navigation()
st.title("Overzicht")
st.markdown("De stand van Twentse Koers per themalijn: de ambitie, de belangrijkste indicator tegen het doel, "
            "de projecten per fase tegen het plan, en wat er sinds de vorige peildatum is veranderd.")

cols = st.columns([1, 1, 3])
peildatum = cols[0].date_input("Peildatum", value=date.today(), max_value=date.today(), key="peildatum",
                               bind="query-params", format="DD-MM-YYYY")
since = cols[1].date_input("Vorige peildatum", value=peildatum - timedelta(days=91), max_value=peildatum,
                           key="vorige", bind="query-params", format="DD-MM-YYYY")

themalijnen = db.query("themalijnen")
headline_ids = [list(ids)[0] for ids in themalijnen["headline_indicators"]]
observations = db.query("indicator_observations", indicator_ids=headline_ids)
meta = db.query("indicator_meta", indicator_ids=headline_ids)
goals = db.query("indicator_targets", indicator_ids=headline_ids)
overview = db.query("project_overview", peildatum=peildatum)
changes = db.query("changes_between", since=since, peildatum=peildatum)


cards = ui.memo(overview_cards)


def card(data: dict) -> None:
    info, indicator, headline = data["info"], data["indicator"], data["headline"]
    themalijn = info["themalijn"]
    st.subheader(info["name"])
    st.markdown(f"*{info['ambition_short']}*")

    twente = headline["latest"]
    if twente is None:
        st.info(headline["text"])
    else:
        st.metric(f"{indicator['name']} · Twente ({twente['period']})", format_value(twente["value"], indicator["unit"]),
                  delta=headline["status"], delta_color="off")
        st.caption(headline["text"])
    if twente is not None:
        ui.source_caption(twente["source_title"], twente["source_peildatum"])

    st.table(data["phases"], hide_index=True)
    st.markdown(f"**Achter op schema:** {data['behind']}.")
    stale = data["stale"]
    if stale:
        st.caption(f"{stale} van {data['count']} projecten zijn meer dan 90 dagen niet bijgewerkt.")
    changed = data["changed"]
    if not changed:
        st.markdown(f"**Sinds {format_short_date(since)}:** geen faseovergangen.")
    else:
        st.markdown(f"**Sinds {format_short_date(since)}:** " + "; ".join(
            f"{name} → {phase} ({format_short_date(effective)})" for name, phase, effective in changed))
    st.caption(f"Projecten: Jaarplan 2025 en registraties in de monitor · peildatum {format_date(peildatum)}")
    page = ui.PAGES.get(themalijn)
    if page is not None:
        st.page_link(page, label=f"Naar {info['name']}", icon=":material/arrow_forward:")


grid = st.columns(2)
for i, data in enumerate(cards(themalijnen, headline_ids, observations, meta, goals, overview, changes, peildatum)):
    with grid[i % 2].container(border=True):
        card(data)
