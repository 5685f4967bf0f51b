"""View models: what each page shows, built from query results (pure, no Streamlit)."""
