"""What an anonymous visitor's texts may cost the server: every text a visitor
sends is cut or refused at limits.MAX_TEXT_CHARS before any work, and every cache counts the
bytes it holds, keys included, so many distinct long texts cannot grow the server's memory."""

from __future__ import annotations

import gc
import importlib
import pkgutil
import tracemalloc
from datetime import date

from conftest import ROOT
from streamlit.testing.v1 import AppTest

import zi_dashboard
from zi_dashboard import labels as L
from zi_dashboard.app import service
from zi_dashboard.app.service import views
from zi_dashboard.reading import caching, limits

AS_OF = date(2025, 11, 15)
MB = 1024 * 1024


def _long_text(i: int) -> str:
    """A distinct search of 1 MB: distinct in its first characters, so cutting keeps them apart."""
    return f"{i:04d} pengaduan " + "x" * MB


def _accounted() -> int:
    return sum(fn.cache_info()["bytes"] for fn in caching.REGISTRY)


def test_a_cache_counts_its_keys_and_stays_under_its_bytes():
    @caching.cached(maxsize=128, max_bytes=4 * MB)
    def echo_length(text: str) -> int:
        return len(text)

    for i in range(3):
        echo_length(f"{i}" + "k" * 1000)
    assert echo_length.cache_info()["bytes"] >= 3 * 1000  # the keys are counted, not only the values
    for i in range(40):  # 40 MB of distinct keys into a cache of 4 MB
        echo_length(f"{i}" + "k" * MB)
    info = echo_length.cache_info()
    assert info["bytes"] <= 4 * MB and info["entries"] < 40
    # typed: 1, 1.0 and True are three keys, as functools.lru_cache(typed=True) keeps them
    seen = caching.cached(maxsize=8, typed=True)(lambda v: repr(v))
    assert [seen(1), seen(1.0), seen(True)] == ["1", "1.0", "True"]


def test_every_cache_of_the_package_is_bounded_in_bytes():
    """No functools cache (it counts entries only) anywhere in the package; every cache has a
    bound in bytes."""
    for info in pkgutil.walk_packages(zi_dashboard.__path__, "zi_dashboard."):
        if info.name.endswith(("__main__", "migrations.env")):  # alembic runs env.py itself
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            ours = str(getattr(obj, "__module__", "")).startswith("zi_dashboard")
            assert not (ours and hasattr(obj, "cache_parameters")), f"{info.name}.{name} is a functools cache"
    assert caching.REGISTRY and all(fn.cache_info()["max_bytes"] or fn.count_only for fn in caching.REGISTRY)


def test_many_long_searches_do_not_grow_the_caches(temp_db):
    ctx = service.context_for(AS_OF)
    shown, _ = service.filtered_tables(ctx, [], [], "pengaduan")
    assert shown[L.COL["code"]].tolist() == ["5.3", "6.3"]
    gc.collect()
    before = _accounted()
    tracemalloc.start()
    try:
        for i in range(60):
            text = _long_text(i)
            shown, _ = service.filtered_tables(ctx, [], [], text)
            lines = service.filter_lines(ctx, [], [], text)
            del text
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert shown.empty  # the search is cut to MAX_TEXT_CHARS characters, then used as usual
    assert all(len(line) < 2 * limits.MAX_TEXT_CHARS for line in lines)
    # 60 MB of searches: what the caches hold grew by a few kilobytes per search at most
    assert _accounted() - before < 60 * 4 * limits.MAX_TEXT_CHARS + 200_000
    assert held < 8 * MB, f"{held / MB:.0f} MB still held after 60 searches of 1 MB"


def test_a_forged_search_on_the_table_page_is_cut(temp_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/tabel.py").run()
    box = at.text_input(key="table_text")
    assert box.max_chars == limits.MAX_TEXT_CHARS
    # what the browser would never send (under the 1 MB a browser message may be: over it, Streamlit
    # itself refuses the message, tests/test_upload_gate.py)
    box.set_value("pengaduan" + " " * (MB // 2)).run()
    assert not at.exception
    assert at.dataframe[0].value["Kode"].tolist() == ["5.3", "6.3"]
    assert views._filtered.cache_info()["bytes"] < MB  # the search kept in its key is the cut one


def test_a_forged_address_is_dropped_before_it_is_read(temp_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["satker"] = "kota-tasikmalaya" + "x" * 100_000  # Streamlit itself drops 512 K and more
    at.query_params["tahun"] = "9" * 5000
    at.run()
    assert not at.exception
    assert "satker" not in at.query_params and "tahun" not in at.query_params
    assert service.workplan_of("x" * (limits.MAX_TEXT_CHARS + 1), None) is None
    assert service.workplan_of(None, "9" * 5000) is None


def test_an_overlong_login_is_refused_before_any_hashing(temp_db, monkeypatch):
    from zi_dashboard.storage import auth

    def never(*args):
        raise AssertionError("a password of megabytes was hashed")

    monkeypatch.setattr(auth, "check_login", never)
    outcome = service.login("admin", "p" * MB, "10.0.0.9")
    assert outcome.editor is None
