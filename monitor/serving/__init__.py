"""Serving infrastructure without Streamlit imports: nginx replicas."""
