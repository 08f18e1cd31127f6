import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def temp_db(tmp_path, monkeypatch):
    """Every test that touches the store gets its own empty SQLite database."""
    url = f"sqlite:///{tmp_path / 'zi.sqlite'}"
    monkeypatch.setenv("ZI_DATABASE_URL", url)
    import streamlit as st
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
