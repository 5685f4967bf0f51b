"""The benchmark's empty page: a title and one line, served by the same Streamlit with the
same configuration as the dashboard (``python -m monitor serve --script bench/empty_page.py``),
so its CPU per page view is the framework's floor under that configuration."""

import streamlit as st

st.title("Lege pagina")
st.write("Een titel en een regel tekst: wat Streamlit zelf kost per nieuwe sessie.")
