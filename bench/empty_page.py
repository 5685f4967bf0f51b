"""The benchmark's empty page: a title and one line, served by the same Streamlit with the
same configuration as the dashboard (``python -m monitor serve --script bench/empty_page.py``),
so its CPU per page view is the framework's floor under that configuration."""

import sys
from pathlib import Path

import streamlit as st

from ui import serve

if __name__ == "__main__":
    st.title("Lege pagina")
    st.write("Een titel en een regel tekst: wat Streamlit zelf kost per nieuwe sessie.")
elif Path(sys.argv[0]).resolve() == Path(__file__).resolve():  # served as the dashboard is (dashboard.py)
    app = st.App(__file__, middleware=serve.frontend_middleware())
