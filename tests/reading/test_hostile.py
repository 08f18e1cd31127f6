"""A corpus of broken and hostile files (hostile_cases.py, every one made by test code) run
through the reader in-process, through `python -m zi_dashboard check` and through
`python -m zi_dashboard import` against a throwaway store.

For every case: the reader raises UnreadableFile or returns a report (never another
exception, never a hang); the CLI never prints a traceback; an import stores exactly one
snapshot for a valid file and leaves the store as it was otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import subprocess
import sys

import pytest
from conftest import ROOT
from hostile_cases import AS_OF, CASES, FORBIDDEN, LIMIT_ATTR, VALID, Case, codes_of, params, shown_text
from hostile_files import zip_bomb

from zi_dashboard import labels as L
from zi_dashboard.reading import limits, sandbox
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import ProgressReading, read_progress
from zi_dashboard.reading.sheets import UnreadableFile
from zi_dashboard.storage.store import open_store


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def test_corpus_is_large_and_generated():
    assert len(CASES) >= 25 and len({c.id for c in CASES}) == len(CASES)


# --- running the reader ------------------------------------------------------------------------
def _cap(mem_mb: int):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb << 20, mem_mb << 20))

    return limit


def _env(case: Case) -> dict:
    return dict(os.environ, PYTHONIOENCODING="utf-8", **case.env)


CHILD = """
import json, sys
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress
from zi_dashboard.reading.sheets import UnreadableFile
path, name = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
try:
    r = read_progress(data, name, load_plan())
    out = {"kind": "report", "valid": r.valid, "problems": [[p.level, p.code, p.message] for p in r.problems]}
except UnreadableFile as exc:
    out = {"kind": "unreadable", "code": exc.code, "message": str(exc)}
except BaseException as exc:
    out = {"kind": "other", "message": type(exc).__name__ + ": " + str(exc)[:300]}
print(json.dumps(out))
"""


def _read_in_child(case: Case, data: bytes, tmp_path) -> dict:
    path = tmp_path / case.filename
    path.write_bytes(data)
    p = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), case.filename],
        cwd=ROOT,
        env=_env(case),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        preexec_fn=_cap(case.mem_mb),
    )
    assert p.returncode == 0, f"reader process died: exit {p.returncode}\n{p.stderr[-800:]}"
    return json.loads(p.stdout.strip().splitlines()[-1])


def _outcome(case: Case, data: bytes, plan, monkeypatch, tmp_path) -> tuple[dict, ProgressReading | None]:
    """Read `data` as the app does; -> (outcome dict as _read_in_child gives, report or None)."""
    if case.isolate:
        return _read_in_child(case, data, tmp_path), None
    _set_limits(case, monkeypatch)
    report = None
    try:
        report = read_progress(data, case.filename, plan)
        out = {
            "kind": "report",
            "valid": report.valid,
            "problems": [[p.level, p.code, p.message] for p in report.problems],
        }
    except UnreadableFile as exc:
        out = {"kind": "unreadable", "code": exc.code, "message": str(exc)}
    except Exception as exc:  # noqa: BLE001 - any other exception is what this test exists to catch
        out = {"kind": "other", "message": f"{type(exc).__name__}: {exc}"[:300]}
    return out, report


def _set_limits(case: Case, monkeypatch) -> None:
    """The case's limits, as the CLI takes them from the environment (a child takes the caller's)."""
    for name, value in case.env.items():
        attr, kind = LIMIT_ATTR[name]
        monkeypatch.setattr(limits, attr, kind(value))


@pytest.mark.parametrize("case", params())
def test_reader_in_process(case: Case, plan, monkeypatch, tmp_path):
    data = case.build()
    out, report = _outcome(case, data, plan, monkeypatch, tmp_path)
    assert out["kind"] != "other", out["message"]
    if case.exit == 2:
        assert out["kind"] == "unreadable", out
        assert out["code"] in codes_of(case), out
        return
    assert out["kind"] == "report", out
    assert out["valid"] == (case.exit == 0), out["problems"]
    given = {code for _, code, _ in out["problems"]}
    assert "other" not in given, out["problems"]
    if case.code:
        assert given & set(codes_of(case)), out["problems"]
    if case.absent:
        assert case.absent not in given, out["problems"]
    if case.check:
        case.check(report, data, plan)


@pytest.mark.parametrize("case", params())
def test_reader_through_the_child(case: Case, plan, monkeypatch):
    """As the app reads an upload: in the child process with its memory and time limits
    (reading/sandbox.py), the bound on how long a read may take.  Every case comes back as its
    report or as its own refusal, never stopped by the child's time limit and never told the
    server is busy (a read that ran away would be)."""
    _set_limits(case, monkeypatch)
    try:
        report = sandbox.read_progress(case.build(), case.filename, plan)
    except sandbox.Busy as exc:
        raise AssertionError(f"told the server is busy: {exc}") from None
    except UnreadableFile as exc:
        assert exc.code != "too_heavy", str(exc)  # stopped by the child's time or memory limit
        assert case.exit == 2 and exc.code in codes_of(case), (exc.code, str(exc))
        return
    assert case.exit != 2, f"read, but {codes_of(case)} expected"
    assert report.valid == (case.exit == 0), [p.code for p in report.problems]
    if case.code:
        assert {p.code for p in report.problems} & set(codes_of(case)), [p.code for p in report.problems]


# --- the CLI: check and import, side by side ----------------------------------------------------
def _seed(url: str, plan):
    """A store holding one earlier upload, so 'unchanged' means something."""
    st = open_store(url)
    stored = st.latest_plan()
    data = b"Kode;Progres (%)\r\n1.1;10\r\n1.2;20\r\n"
    report = read_progress(data, "awal.csv", plan)
    assert report.valid
    st.save(data, "awal.csv", "penyiap", None, report.rows, stored.id)
    state = (st.count(), st.current().id, st.current().sha256, len(st.events()))
    st.dispose()
    return state


def _run_all(commands: list[list[str]], case: Case) -> list[subprocess.CompletedProcess]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "zi_dashboard", *cmd],
            cwd=ROOT,
            env=_env(case),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_cap(case.mem_mb),
        )
        for cmd in commands
    ]
    done = []
    for cmd, p in zip(commands, procs, strict=False):
        try:
            out, err = p.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            for q in procs:
                q.kill()
            raise AssertionError(f"{cmd[0]} hung") from None
        done.append(
            subprocess.CompletedProcess(
                cmd, p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
            )
        )
    for p in done:
        text = p.stdout + p.stderr
        assert not any(f in text for f in FORBIDDEN), f"{p.args[0]}: exit {p.returncode}\n{text[-1500:]}"
    return done


@pytest.mark.slow  # two CLI processes per case
@pytest.mark.parametrize("case", params())
def test_cli_check_and_import(case: Case, plan, temp_db, tmp_path):
    data = case.build()
    path = tmp_path / case.filename
    path.write_bytes(data)
    before = _seed(temp_db, plan)
    check, imported = _run_all(
        [["check", str(path), "--as-of", AS_OF], ["import", str(path), "--by", "x", "--position-date", AS_OF]], case
    )
    # check: exit status and the message (stderr when unreadable, stdout otherwise)
    assert check.returncode == case.exit, check.stdout + check.stderr
    shown = check.stderr if case.exit == 2 else check.stdout
    if case.code:
        assert any(s in shown for s in shown_text(case)), shown
    if case.exit == 2:
        assert shown.startswith(L.CLI["cannot_read"] + ":")
    elif case.exit == 1:
        assert L.MSG["invalid_file"].split(":")[0] in shown
    else:
        assert VALID in shown
    if case.absent:
        assert L.MSG[case.absent] not in check.stdout + check.stderr
    # import: a valid file becomes exactly one new upload, in use; anything else changes nothing
    st = open_store(temp_db)
    count, current, events = st.count(), st.current(), st.events()
    if case.exit == 0:
        assert imported.returncode == 0, imported.stdout + imported.stderr
        assert L.CLI["imported"].format(id=current.id, name=case.filename) in imported.stdout
        assert count == before[0] + 1 and len(events) == before[3] + 1 and events[-1].kind == "upload"
        assert current.id != before[1] and current.sha256 == hashlib.sha256(data).hexdigest()
        assert current.content == data
        if not case.isolate and not case.env:
            stored = st.rows(current.id)
            expected = read_progress(data, case.filename, plan).rows
            assert stored.to_dict("records") == expected.to_dict("records")
    else:
        assert imported.returncode == case.exit, imported.stdout + imported.stderr
        assert any(s in (imported.stderr if case.exit == 2 else imported.stdout) for s in shown_text(case))
        assert (count, current.id, current.sha256, len(events)) == before
    st.dispose()


JSON_CASES = [
    "pdf-renamed-xlsx",
    "zip-bomb-300mb-sheet",
    "no-recognisable-header",
    "control-chars-and-rlo-csv",
    "emoji-and-indonesian-xlsx",
]


@pytest.mark.slow  # a CLI process per case
@pytest.mark.parametrize("case", params([c for c in CASES if c.id in JSON_CASES]))
def test_cli_check_json(case: Case, tmp_path):
    """`check --json`: one JSON object on stdout, same verdict and message, text kept as UTF-8."""
    path = tmp_path / case.filename
    path.write_bytes(case.build())
    (p,) = _run_all([["check", str(path), "--as-of", AS_OF, "--json"]], case)
    assert p.returncode == case.exit and p.stderr == ""
    result = json.loads(p.stdout)
    assert result["valid"] == (case.exit == 0) and result["as_of"] == AS_OF
    given = {m["code"] for m in result["errors"] + result["warnings"]}
    if case.code:
        assert given & set(codes_of(case)), given
    assert (result["overall_completion"] is not None) == (case.exit == 0)


def test_ratio_refusal_message_does_not_contradict_itself(plan):
    with pytest.raises(UnreadableFile) as exc:
        read_progress(zip_bomb("xl/media/image1.emf", 100), "progres.xlsx", plan)
    message = str(exc.value)
    sizes = [int(n.replace(".", "")) for n in re.findall(r"([\d.]+) MB", message)]
    ratios = [int(n.replace(".", "")) for n in re.findall(r"([\d.]+) kali", message)]
    # either a total size above its limit, or a compression ratio above its limit
    assert (len(sizes) == 2 and sizes[0] > sizes[1]) or (len(ratios) == 2 and ratios[0] > ratios[1]), message
