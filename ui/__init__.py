"""The one Streamlit-only package: shared page components, forms, login and the server launcher."""
