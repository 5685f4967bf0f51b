"""Wat is er veranderd sinds …: per themalijn the voortgangsmeldingen, phase and status changes,
KPI values, targets crossed and new figures since a date (by default the previous BO date);
following themalijnen and projects for the digest; the beheerder records BO dates."""

from datetime import date

import streamlit as st

from monitor.data.contract import THEMALIJNEN
from monitor.domain.text import format_short_date, md_literal
from monitor.views.veranderd import default_since, veranderd_view
from ui import follow_forms
from ui import shell

today = date.today()
default, _is_bo = shell.view_cache(default_since)(today)
st.title("Wat is er veranderd")
left, right = st.columns([1, 2])
since = left.date_input("Sinds", value=default, max_value=today, format="DD-MM-YYYY", key="sinds",
                        bind="query-params")
themalijn = right.selectbox("Themalijn", [None, *THEMALIJNEN], key="themalijn", bind="query-params",
                            format_func=lambda t: "Hele programma" if t is None else THEMALIJNEN[t])
# The default date goes to the loader as None, so the view knows it is the previous BO date.
view = shell.view_cache(veranderd_view)(today, None if since == default else since, themalijn)
st.caption(f"{view.heading()} tot vandaag: {view.count} verandering(en).")
if not view.sections:
    st.info("Niets veranderd in deze periode.", icon=":material/info:")
for section in view.sections:
    st.subheader(section.themalijn)
    # A list, not a grid: read by screen readers and found by the page's search; user text as text.
    st.markdown("\n".join(f"- **{change.kind}** · {format_short_date(change.day)} · {md_literal(change.text)}"
                           for change in section.changes))

follow_forms.follow_section()
follow_forms.bo_date_section()
