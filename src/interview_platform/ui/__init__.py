"""Streamlit pages; thin, they call services built by the composition root."""
