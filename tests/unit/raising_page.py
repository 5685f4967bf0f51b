"""A page that raises, served by ``python -m monitor serve --script`` for tests/unit/test_loadgen.py:
the load generator must count the exception on it as an error. Imported (pytest's doctest
collection) it does nothing."""

import streamlit as st

if __name__ == "__main__":  # how Streamlit runs a script
    st.title("Een pagina die faalt")
    raise RuntimeError("bewust kapot voor de test van de belastingsgenerator")
