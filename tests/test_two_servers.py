"""Two dashboard servers on one PostgreSQL database, as an office runs them
behind a proxy with sticky sessions (deploy/README.md).

Two `streamlit run app.py` processes (A and B) share a fresh database made here on the
PostgreSQL server tests/run.sh starts (ZI_TEST_POSTGRES_URL).  Two units have their 2025 plans
stored first; two editors come from the environment, each scoped to one unit (ZI_EDITORS,
ZI_EDITOR_UNITS).  Everything then goes through the servers' pages in headless Chromium:

1. ani uploads a progress file for KPU Kota Banjar on server A (log in, Unggah, choose the
   file, Simpan); from the save confirmation on A, a viewer with Ringkasan for that unit open
   on server B (?satker=&tahun=) asks for it again until its headline shows the new overall
   completion (a wait on that state, with a generous deadline; it shows the old figure until
   then and nothing else), and a viewer opening the link afresh sees the new figure.  How fast
   the figure gets there is measured by bench/bench_two_servers.py (goal: 2 s), not asserted.
2. ani on A (Banjar) and budi on B (Ciamis) then upload at the same time, three rounds, both
   Simpan clicks sent together: afterwards the store holds every upload, each under its own
   unit with its own figures, the events of each unit in the order they were saved, and each
   server shows the other unit's last upload.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import builders as B
import pytest
from conftest import ROOT, postgres_server_url, temporary_database
from streamlit_server import CHROMIUM, CHROMIUM_ARGS, NEXT_PAINT, RUN_TRACKER, SETTLED, StreamlitServer

from zi_dashboard import labels as L

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "screenshots"
YEAR = 2025
BANJAR, CIAMIS = "KPU Kota Banjar", "KPU Kabupaten Ciamis"
ANI, BUDI = "Ani (Tim ZI Banjar)", "Budi (Tim ZI Ciamis)"
PASSWORD = {ANI: "uji-dua-server-" + os.urandom(6).hex(), BUDI: "uji-dua-server-" + os.urandom(6).hex()}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
PROGRESS_UPLOADER = "Pilih berkas progres (.xlsx atau .csv)"
SAVE = "Simpan sebagai data yang dipakai"
PROPAGATION_DEADLINE = 60.0  # seconds to wait for B to show the figure saved on A (a wait, not a goal)
ROUNDS = 3  # concurrent rounds (one upload per unit each)


# --- the database and the servers --------------------------------------------------------------
@pytest.fixture(scope="module")
def database():
    """A fresh database on the test PostgreSQL server, dropped afterwards."""
    with temporary_database(postgres_server_url(), "zi_two_servers_" + os.urandom(4).hex()) as url:
        yield url


def store_plans(database: str) -> dict:
    """The two units' plans, stored before the servers start (as `plan-add` would)."""
    from zi_dashboard.reading.plan import BUNDLED_PLAN
    from zi_dashboard.storage.store import open_store

    store = open_store(database)
    made = {
        unit: store.add_plan(unit, YEAR, BUNDLED_PLAN.read_bytes(), BUNDLED_PLAN.name, "uji")[0]
        for unit in (BANJAR, CIAMIS)
    }
    store.engine.dispose()
    return made


def server_env(database: str) -> dict[str, str]:
    """Both servers' environment: the shared database, the two units, the two scoped editors."""
    from zi_dashboard.storage.auth import hash_password

    return {
        "ZI_DATABASE_URL": database,
        "ZI_UNITS": f"{BANJAR}|{CIAMIS}",
        "ZI_EDITORS": ",".join(f"{name}:{hash_password(pw)}" for name, pw in PASSWORD.items()),
        "ZI_EDITOR_UNITS": f"{ANI}={BANJAR};{BUDI}={CIAMIS}",
    }


@pytest.fixture(scope="module")
def workplans(database):
    return store_plans(database)


@pytest.fixture(scope="module")
def servers(database, workplans):
    """Servers A and B on the same database, started together."""
    env = server_env(database)
    pair = [StreamlitServer("app.py", ROOT, env, name=name) for name in ("A", "B")]
    try:
        for server in pair:
            server.wait_healthy()
    except RuntimeError as exc:
        for server in pair:
            server.stop()
        pytest.fail(str(exc))
    yield pair
    for server in pair:
        server.stop()


def progress_file(unit: str, value: int) -> bytes:
    """A progress file as an office fills it: its unit and position date in the title rows,
    every row at `value` percent (so the overall completion is `value`)."""
    rows = [
        ["LAPORAN PROGRES RENCANA KERJA PEMBANGUNAN ZONA INTEGRITAS (ZI)"],
        [f"{unit} Tahun {YEAR}"],
        ["Posisi: 15 November 2025"],
        [],
        *B.standard_rows(default=value),
    ]
    return B.xlsx(rows)


def slug(unit: str) -> str:
    from zi_dashboard.reading.units import unit_slug

    return unit_slug(unit)


def address(server: StreamlitServer, path: str, unit: str) -> str:
    return f"{server.url}/{path}?satker={slug(unit)}&tahun={YEAR}"


# --- what a person does in the browser ---------------------------------------------------------
async def settle(page) -> None:
    """Until every rerun the page asked for has been answered (streamlit_server.settle, awaited)."""
    if not await page.evaluate("() => !!window.__ziTrack"):
        await page.evaluate(RUN_TRACKER)
        await page.add_init_script(RUN_TRACKER)
    await page.evaluate(NEXT_PAINT)
    await page.wait_for_function(SETTLED)


async def new_pages(browser, n: int) -> list:
    """n pages, each in its own context (its own cookies: its own person), 1366x900."""
    pages = []
    for _ in range(n):
        context = await browser.new_context(viewport={"width": 1366, "height": 900})
        context.set_default_timeout(60_000)
        await context.add_init_script(RUN_TRACKER)  # settle counts each page's runs
        pages.append(await context.new_page())
    return pages


async def no_exception(page, where: str) -> None:
    if await page.locator(EXCEPTION).count():
        shown = "\n---\n".join(await page.locator(EXCEPTION).all_inner_texts())
        pytest.fail(f"{where}: the app shows an exception:\n{shown}")


async def log_in_on_unggah(page, server: StreamlitServer, unit: str, name: str) -> None:
    await page.goto(address(server, "unggah", unit))
    await page.wait_for_selector(IDLE)
    await settle(page)
    side = page.locator('[data-testid="stSidebar"]')
    await side.get_by_role("button", name="Masuk (Tim ZI)").click()
    await settle(page)
    await side.get_by_role("textbox", name="Nama editor", exact=True).fill(name)
    await side.get_by_label("Kata sandi", exact=True).fill(PASSWORD[name])
    await side.get_by_role("button", name="Masuk", exact=True).click()
    await side.get_by_text(f"Masuk sebagai {name}").wait_for()
    await settle(page)
    await page.locator('[data-testid="stFileUploader"]').filter(has_text=PROGRESS_UPLOADER).wait_for()
    await no_exception(page, f"Unggah on {server.name} for {name}")


async def choose(page, path: Path) -> None:
    """Choose a file on Unggah and wait for the check and the Simpan button."""
    box = page.locator('[data-testid="stFileUploader"]').filter(has_text=PROGRESS_UPLOADER)
    async with page.expect_file_chooser() as chooser:
        await box.locator('[data-testid="stFileUploaderDropzone"] button').click()
    await (await chooser.value).set_files(str(path))
    await page.get_by_role("button", name=SAVE).wait_for()
    await settle(page)
    await no_exception(page, f"Unggah after choosing {path.name}")


async def save(page, path: Path) -> tuple[float, float]:
    """Simpan; (clicked at, confirmed at) on the monotonic clock: for the order of two saves
    (were they under way at the same time?) and for the bench's propagation figure."""
    clicked = time.monotonic()
    await page.get_by_role("button", name=SAVE).click()
    await page.locator('[data-testid="stAlert"]').filter(has_text=f"Tersimpan. Berkas “{path.name}”").wait_for()
    confirmed = time.monotonic()
    await settle(page)
    await no_exception(page, f"Unggah after saving {path.name}")
    return clicked, confirmed


async def headline(page, server: StreamlitServer, unit: str) -> str:
    """Open Ringkasan of a unit on a server, as a link does, and read the overall completion
    (the first headline card's value, without its change since the previous upload)."""
    # "commit": the figure is read as soon as it is drawn, not after every chart and font has loaded
    await page.goto(address(server, "", unit), wait_until="commit")
    value = page.locator(".zi-kpi-value").first
    await value.wait_for()
    return await value.evaluate("e => e.firstChild.textContent")


# counts the script runs a page has finished (the app's script state turning "notRunning")
COUNT_RUNS = """() => { window.__ziRuns = 0; const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => { if (app.getAttribute('data-test-script-state') === 'notRunning') window.__ziRuns++; })
        .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); }"""


async def watch_runs(page) -> None:
    await page.wait_for_selector(IDLE)
    await page.evaluate(COUNT_RUNS)


async def click_ringkasan(page, timeout: float = 60_000) -> str:
    """In a page already open: ask for Ringkasan again on the same connection (Streamlit's own
    "R" key: rerun; a click on the page's own link in the sidebar now and then started no run),
    wait for that run to finish, read the overall completion."""
    await page.wait_for_selector(IDLE)
    before = await page.evaluate("window.__ziRuns")
    await page.locator("body").press("r")
    await page.wait_for_function(f"window.__ziRuns > {before}", timeout=timeout)
    return await page.locator(".zi-kpi-value").first.evaluate("e => e.firstChild.textContent")


async def asked_until(page, want: str, deadline: float = PROPAGATION_DEADLINE) -> list[str]:
    """Ask for Ringkasan again and again until it shows `want` (a wait on that state, given up
    after `deadline` seconds): the figures shown, in order, the last one `want`."""
    shown: list[str] = []
    give_up = time.monotonic() + deadline
    while not shown or shown[-1] != want:
        assert time.monotonic() < give_up, f"still {shown[-1:]}, not {want}, after waiting {deadline:.0f} s"
        shown.append(await click_ringkasan(page))
    return shown


async def keep_asking(page, stop: asyncio.Event) -> int:
    """Another viewer on the same server asking for the unit's Ringkasan over and over: the
    server's answers about that unit are always fresh in its cache, so the upload on the other
    server meets the cache at its worst (just filled with the figure before the upload)."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    n = 0
    while not stop.is_set():  # click_ringkasan waits for each run: the asking goes at the server's pace
        try:  # only the load it makes matters: a click the page let pass is not waited for
            await click_ringkasan(page, timeout=10_000)
            n += 1
        except PlaywrightTimeout:
            pass
    return n


# --- the test ----------------------------------------------------------------------------------
def test_two_servers_share_one_postgresql(servers, workplans, database, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}")
    from playwright.async_api import async_playwright

    server_a, server_b = servers
    files = {}
    for unit, base in ((BANJAR, 20), (CIAMIS, 50)):
        for n in range(ROUNDS + 1):
            path = tmp_path / f"progres-{slug(unit)}-{n}.xlsx"
            path.write_bytes(progress_file(unit, base + 7 * n))
            files[unit, n] = (path, base + 7 * n)
    figures: dict = {}

    async def scenario() -> None:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ani_a, budi_b, viewer_b, viewer_a, asker_b = await new_pages(browser, 5)
            before = await asyncio.gather(
                log_in_on_unggah(ani_a, server_a, BANJAR, ANI),
                log_in_on_unggah(budi_b, server_b, CIAMIS, BUDI),
                headline(viewer_b, server_b, BANJAR),
                headline(asker_b, server_b, BANJAR),
                headline(viewer_a, server_a, CIAMIS),
            )
            # before any upload, both units are at 0% on both servers
            assert before[2:] == [L.fmt_pct(0)] * 3, before
            await asyncio.gather(watch_runs(viewer_b), watch_runs(asker_b))

            # 1. upload on A, the new figure on B
            path, value = files[BANJAR, 0]
            stop = asyncio.Event()
            asking = asyncio.create_task(keep_asking(asker_b, stop))
            await choose(ani_a, path)
            await save(ani_a, path)
            figures["shown"] = await asked_until(viewer_b, L.fmt_pct(value))
            stop.set()
            figures["asked"] = await asking
            # and a viewer opening the link afresh (a new page: the browser loads the app)
            figures["fresh"] = await headline(viewer_b, server_b, BANJAR)
            await viewer_b.get_by_text(f"{BANJAR} Tahun {YEAR}").first.wait_for()
            await settle(viewer_b)
            await no_exception(viewer_b, "Ringkasan on B")
            SHOTS.mkdir(parents=True, exist_ok=True)
            await viewer_b.screenshot(path=str(SHOTS / "dua-server-ringkasan-di-b-1366.png"))

            # 2. both servers at once, different units
            windows = []
            for n in range(1, ROUNDS + 1):
                a_file, b_file = files[BANJAR, n][0], files[CIAMIS, n - 1][0]
                await asyncio.gather(choose(ani_a, a_file), choose(budi_b, b_file))
                windows.append(await asyncio.gather(save(ani_a, a_file), save(budi_b, b_file)))
            figures["windows"] = windows

            # each server shows the unit last uploaded through the other
            figures["b_sees_banjar"] = await headline(viewer_b, server_b, BANJAR)
            figures["a_sees_ciamis"] = await headline(viewer_a, server_a, CIAMIS)
            await browser.close()

    asyncio.run(scenario())

    # B showed the figure from before the upload until it showed the new one, nothing else
    # (while another viewer on B kept asking for that unit); a fresh open shows the new one too
    new = L.fmt_pct(files[BANJAR, 0][1])
    assert figures["shown"][-1] == new and set(figures["shown"][:-1]) <= {L.fmt_pct(0)}, figures
    assert figures["fresh"] == new, figures
    # the saves of each round were under way on both servers at the same time
    for (a_click, a_done), (b_click, b_done) in figures["windows"]:
        assert max(a_click, b_click) < min(a_done, b_done), figures["windows"]
    assert figures["b_sees_banjar"] == L.fmt_pct(files[BANJAR, ROUNDS][1])
    assert figures["a_sees_ciamis"] == L.fmt_pct(files[CIAMIS, ROUNDS - 1][1])

    # the store: every upload, under its own unit, with its own figures, events in order
    from zi_dashboard.storage.store import open_store

    store = open_store(database)
    try:
        expected = {
            BANJAR: [files[BANJAR, n] for n in range(ROUNDS + 1)],
            CIAMIS: [files[CIAMIS, n] for n in range(ROUNDS)],
        }
        assert store.count() == sum(len(v) for v in expected.values())
        every = store.events()
        # one order for everything: events, the uploads they name and their times agree
        assert [e.snapshot_id for e in every] == sorted(e.snapshot_id for e in every)
        assert [e.at for e in every] == sorted(e.at for e in every)
        assert len({e.snapshot_id for e in every}) == len(every)
        for unit, wanted in expected.items():
            wp = workplans[unit]
            evs = store.events(wp.id)
            assert [e.kind for e in evs] == ["upload"] * len(wanted)
            assert all(e.workplan_id == wp.id for e in evs)
            snaps = [store.snapshot(e.snapshot_id) for e in evs]
            # saved in the order the editor saved them, each under this unit
            assert [s.filename for s in snaps] == [p.name for p, _ in wanted]
            assert [e.by for e in evs] == [ANI if unit == BANJAR else BUDI] * len(wanted)
            assert all(s.workplan_id == wp.id for s in snaps)
            for s, (_, value) in zip(snaps, wanted, strict=True):
                assert set(store.rows(s.id)["progress"]) == {float(value)}, s.filename
            assert store.current_id(wp.id) == (evs[-1].id, snaps[-1].id)
    finally:
        store.engine.dispose()
