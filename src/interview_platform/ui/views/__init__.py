"""The app's pages (not `pages/`: that name makes Streamlit use its old multipage mode)."""
