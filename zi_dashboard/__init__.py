"""ZI Dashboard core: reading, validating, counting, charts and exports (no Streamlit)."""
