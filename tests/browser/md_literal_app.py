"""A page that shows texts through ``md_literal`` in the places user text goes (Markdown, a
caption in bold, a button, an expander, a table cell), for the browser test that checks the
helper against Streamlit's own renderer. The texts: a JSON list in the file named by
``MD_LITERAL_TEXTS``."""

import json
import os

import pandas as pd
import streamlit as st

from monitor.domain.text import md_literal
from ui.components import literal_table


def main() -> None:
    texts = json.loads(open(os.environ["MD_LITERAL_TEXTS"], encoding="utf-8").read())
    for number, text in enumerate(texts):
        with st.container(key=f"tekst-{number}"):
            st.markdown(md_literal(text))
        with st.container(key=f"vet-{number}"):
            st.caption(f"**{md_literal(text)}** · {md_literal(text)}")
        st.button(md_literal(text), key=f"knop-{number}")
        with st.expander(md_literal(text), key=f"uitklap-{number}"):
            st.write("")
        with st.container(key=f"tabel-{number}"):
            st.table(literal_table(pd.DataFrame({"Tekst": [text]})), hide_index=True)
    st.caption("klaar")


if __name__ == "__main__":  # run by ``streamlit run``; only imported by pytest's doctest collection
    main()
