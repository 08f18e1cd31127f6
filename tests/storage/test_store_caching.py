"""The store's caches are the package's one kind (reading/caching.py): stored plans are read once
per store object, a cold batch in one query; a store the service lets go of is disposed."""

from __future__ import annotations

from sqlalchemy import event

from zi_dashboard.app.service import store_access
from zi_dashboard.reading import caching
from zi_dashboard.reading.plan import BUNDLED_PLAN
from zi_dashboard.storage import plans
from zi_dashboard.storage.store import Store, open_store

GARUT = b"RENCANA KERJA ZONA INTEGRITAS KPU KABUPATEN GARUT TAHUN 2025\n" + BUNDLED_PLAN.read_bytes()
CIAMIS = b"RENCANA KERJA ZONA INTEGRITAS KPU KABUPATEN CIAMIS TAHUN 2025\n" + BUNDLED_PLAN.read_bytes()


def plan_reads(st: Store) -> list[str]:
    """The queries that read stored plans, as the store sends them from now on."""
    seen: list[str] = []

    @event.listens_for(st.engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):
        if "FROM zi_plans" in statement and "parsed" in statement:
            seen.append(statement)

    return seen


def test_stored_plans_are_read_once_in_one_query_through_the_package_cache(tmp_path):
    st = open_store(f"sqlite:///{tmp_path / 'zi.sqlite'}")
    home = st.home()
    garut, _ = st.add_plan("KPU Kabupaten Garut", 2025, GARUT, "garut.csv", "Admin")
    ciamis, _ = st.add_plan("KPU Kabupaten Ciamis", 2025, CIAMIS, "ciamis.csv", "Admin")
    ids = [st.plan_id_of(w.id) for w in (home, garut, ciamis)]
    assert len(set(ids)) == 3
    assert plans._stored_plan in caching.REGISTRY
    reads = plan_reads(st)
    cold = st.parsed_plans(ids)
    assert len(reads) == 1  # three plans, one query
    assert st.parsed_plans(ids) == cold and st.parsed_plan(ids[1]) is cold[ids[1]]
    assert len(reads) == 1  # then from the cache
    # plans of one template read together share their rows (titles differ)
    assert cold[ids[1]].rows is cold[ids[2]].rows and cold[ids[1]].title != cold[ids[2]].title
    # another store object (the same database recreated at the same address, say) reads its own
    again = open_store(st.url)
    assert [p.codes for p in again.parsed_plans(ids).values()] == [p.codes for p in cold.values()]
    assert again.parsed_plans(ids)[ids[0]] is not cold[ids[0]]
    st.dispose()
    again.dispose()


def test_a_store_the_service_lets_go_of_is_disposed(tmp_path, monkeypatch):
    disposed: list[str] = []
    real = Store.dispose

    def dispose(self: Store) -> None:
        disposed.append(self.url)
        real(self)

    monkeypatch.setattr(Store, "dispose", dispose)
    store_access.store_at.cache_clear()
    disposed.clear()
    urls = [f"sqlite:///{tmp_path / f'zi-{i}.sqlite'}" for i in range(5)]
    opened = [store_access.store_at(u) for u in urls]  # the cache keeps 4
    assert disposed == [urls[0]]
    assert store_access.store_at(urls[4]) is opened[4]  # the others are kept, open
    store_access.store_at.cache_clear()
    assert sorted(disposed) == sorted(urls)
