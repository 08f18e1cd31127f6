"""Reading untrusted files in a child process with a memory ceiling and a time limit.

python-calamine is native code: a crafted sheet can make it ask for hundreds of GiB and
abort the whole process, and any parsing step can be made slow.  So every file a user gives
(an upload on Unggah, a plan an editor replaces, a file named on the command line) is read
here, in a process of its own:

- a *zygote* (``python -m zi_dashboard.reading.sandbox``) is started once per server or CLI process;
  it imports the reader (pandas, calamine) and then only forks, so a read starts in
  milliseconds instead of paying the imports each time;
- each read is one fork of the zygote.  The child takes the request over its own socket,
  caps its memory (RLIMIT_DATA: what it may allocate on top of what it started with,
  ``limits.READ_MEMORY_MB``) and CPU time, reads, and sends back the result (a report or a
  plan; never the raw cells);
- at most ``limits.READ_CONCURRENT`` children run at once in a server process, whichever
  sessions asked; a read waits its turn in a queue at most ``limits.READ_WAIT_SECONDS``, then
  UnreadableFile with the message ``busy`` ("sedang sibuk, coba lagi"), nothing started;
- the caller waits at most ``limits.READ_SECONDS``, then kills the child.  A child that was
  killed or died (an allocation refused, a native abort) means the file is too heavy:
  UnreadableFile with the message ``too_heavy``.  The caller's process never parses the file,
  so it stays up and keeps answering.

The in-process functions (progress.read_progress, plan.read_plan) stay for tests and for the
bundled files, which are ours.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from zi_dashboard import labels as L
from zi_dashboard.reading import limits
from zi_dashboard.reading.caching import cached
from zi_dashboard.reading.sheets import UnreadableFile

_LIMIT_NAMES = (
    "MAX_FILE_MB",
    "MAX_ROWS",
    "MAX_EXPANDED_MB",
    "MAX_RATIO",
    "MAX_CELL_CHARS",
    "MAX_CELLS",
    "MAX_BUNDLE_FILES",
)
_HEADER = struct.Struct("<Q")
_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent.parent)


class _TooHeavy(Exception):
    pass


class Busy(UnreadableFile):
    """No turn to read within limits.READ_WAIT_SECONDS: nothing was read, try again (never kept
    as a file's outcome)."""


# --- the caller's side ---------------------------------------------------------------------
class _Zygote:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = dict(
            os.environ,
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
            PYTHONPATH=os.pathsep.join(p for p in (_PACKAGE_PARENT, os.environ.get("PYTHONPATH")) if p),
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zi_dashboard.reading.sandbox", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
        theirs.close()
        self.ctrl = ours
        self.lock = threading.Lock()
        ours.settimeout(60)
        try:
            ready = ours.recv(1)  # sent once the reader's modules are imported
        except OSError:
            ready = b""
        finally:
            ours.settimeout(None)
        if ready != b"R":
            self.close()
            raise RuntimeError("the file reader process did not start")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            self.ctrl.close()
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


_ZYGOTE: _Zygote | None = None
_ZYGOTE_LOCK = threading.Lock()


class _Turns:
    """The server-wide queue of reads: at most limits.READ_CONCURRENT at once, first come first
    served, each waiting at most limits.READ_WAIT_SECONDS."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.running = 0
        self.queue: list[object] = []
        self.most = 0  # the most reads seen running at once (for tests and benchmarks)

    @contextlib.contextmanager
    def turn(self, filename: str):
        me = object()
        deadline = time.monotonic() + float(limits.READ_WAIT_SECONDS)
        with self.cond:
            self.queue.append(me)
            try:
                while self.queue[0] is not me or self.running >= limits.READ_CONCURRENT:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise Busy(L.msg("busy", name=filename, n=limits.READ_CONCURRENT))
                    self.cond.wait(left)
            finally:
                self.queue.remove(me)
                self.cond.notify_all()
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            yield
        finally:
            with self.cond:
                self.running -= 1
                self.cond.notify_all()


TURNS = _Turns()


def _zygote() -> _Zygote:
    global _ZYGOTE
    with _ZYGOTE_LOCK:
        if _ZYGOTE is None or not _ZYGOTE.alive():
            _ZYGOTE = _Zygote()
        return _ZYGOTE


def warm() -> None:
    """Start the reader process in the background (the first read then starts at once)."""
    if _ZYGOTE is not None and _ZYGOTE.alive():
        return
    threading.Thread(target=_zygote, daemon=True, name="zi-reader-start").start()


def _recv_exact(sock: socket.socket, n: int, deadline: float) -> bytes:
    chunks, got = [], 0
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        sock.settimeout(left)
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise _TooHeavy  # the child is gone before it answered
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _fork_child() -> socket.socket:
    """A fresh child of the zygote, connected to us by the returned socket."""
    for attempt in (1, 2):
        z = _zygote()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with z.lock:
                socket.send_fds(z.ctrl, [b"F"], [theirs.fileno()])
            return ours
        except OSError:
            ours.close()
            if attempt == 2:
                raise
        finally:
            theirs.close()
    raise AssertionError("unreachable")


def run(task: str, *args, filename: str = "", stats: dict | None = None):
    """Run `task` ('progress', 'plan', 'assessment', 'contacts' or 'bundle') on `args` in a child
    process; its result, or the exception it raised (UnreadableFile, PlanError);
    UnreadableFile('too_heavy') when the child passes the memory or time limit.  `stats`, when
    given, receives the child's memory at its start and its peak (resident, MB) when it answered."""
    with TURNS.turn(filename):
        return _run(task, args, filename, stats)


def _run(task: str, args: tuple, filename: str, stats: dict | None):
    """One read in a child, in its turn (run)."""
    seconds, memory = float(limits.READ_SECONDS), float(limits.READ_MEMORY_MB)

    def heavy(by_time: bool) -> UnreadableFile:
        limit = (
            L.msg("too_heavy_time", seconds=L.fmt_number(seconds, 0 if seconds == int(seconds) else 1))
            if by_time
            else L.msg("too_heavy_memory", mb=L.fmt_number(memory, 0))
        )
        return UnreadableFile(L.msg("too_heavy", name=filename, limit=limit))

    sock = _fork_child()
    deadline = time.monotonic() + seconds
    pid = 0
    running = True  # until the child has answered or is known to be gone
    try:
        (pid,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, deadline))
        request = pickle.dumps(
            (task, args, {n: getattr(limits, n) for n in _LIMIT_NAMES}, memory, seconds),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        sock.sendall(_HEADER.pack(len(request)) + request)
        (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, deadline))
        kind, value, child_stats = pickle.loads(_recv_exact(sock, size, deadline))
        running = False  # it answered and exits by itself
        if stats is not None:
            stats.update(child_stats)
    except TimeoutError:
        raise heavy(True) from None
    except (_TooHeavy, ConnectionError):  # the child died: an allocation refused, a native abort
        running = False
        raise heavy(False) from None
    finally:
        sock.close()
        if pid and running:  # past the time limit (or this thread interrupted): stop it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    if kind == "ok":
        return value
    if kind == "heavy":
        raise heavy(False)
    if kind == "plan_error":
        from zi_dashboard.reading.plan import PlanError

        raise PlanError(value)
    if kind == "unreadable":
        raise UnreadableFile(value)
    raise RuntimeError(value)


# --- what callers use ------------------------------------------------------------------------
def read_progress(data: bytes, filename: str, plan, sheet: str | None = None, progress_column: str | None = None):
    """progress.read_progress, in a child process."""
    return run("progress", data, filename, plan, sheet, progress_column, filename=filename)


def read_plan(data: bytes, filename: str):
    """plan.read_plan, in a child process (a plan file an editor gives)."""
    return run("plan", data, filename, filename=filename)


def read_assessment(data: bytes, filename: str, lke):
    """assessment.read_assessment, in a child process (a self-assessment sheet an editor gives)."""
    return run("assessment", data, filename, lke, filename=filename)


def read_contacts(data: bytes, filename: str, kind: str):
    """contacts.read_contacts, in a child process (a PIC contacts sheet)."""
    return run("contacts", data, filename, kind, filename=filename)


def read_bundle(data: bytes, filename: str):
    """bundle.split_bundle, in a child process: the members of a zip archive of many files (a
    list of bundle.Member; each member is then read on its own, e.g. with read_progress)."""
    return run("bundle", data, filename, filename=filename)


def read_lke_workbook(data: bytes, filename: str, instrument):
    """lke_workbook.read_lke_workbook, in a child process (an LKE workbook an editor gives)."""
    return run("lke_workbook", data, filename, instrument, filename=filename)


def read_evidence_sheet(data: bytes, filename: str, instrument):
    """lke_workbook.read_evidence_sheet, in a child process."""
    return run("lke_evidence", data, filename, instrument, filename=filename)


def plan_from_bytes(data: bytes, name: str):
    """A stored plan file, read once per content: the bundled plan in this process (it is
    ours), any other in a child process."""
    from zi_dashboard.reading.plan import BUNDLED_PLAN
    from zi_dashboard.reading.plan import plan_from_bytes as trusted

    try:
        if data == BUNDLED_PLAN.read_bytes():
            return trusted(data, name)
    except OSError:
        pass
    return _stored_plan(data, name)


@cached(maxsize=8, max_bytes=64 * 1024 * 1024)
def _stored_plan(data: bytes, name: str):
    return read_plan(data, name)


# --- the zygote and its children ----------------------------------------------------------------
def _task(task: str, args: tuple):
    fn: Callable[..., object]
    if task == "progress":
        from zi_dashboard.reading.progress import read_progress as fn
    elif task == "plan":
        from zi_dashboard.reading.plan import read_plan as fn
    elif task == "assessment":
        from zi_dashboard.reading.assessment import read_assessment as fn
    elif task == "contacts":
        from zi_dashboard.reading.contacts import read_contacts as fn
    elif task == "bundle":
        from zi_dashboard.reading.bundle import split_bundle as fn
    elif task == "lke_workbook":
        from zi_dashboard.reading.lke_workbook import read_lke_workbook as fn
    elif task == "lke_evidence":
        from zi_dashboard.reading.lke_workbook import read_evidence_sheet as fn
    elif task == "monev_docx":  # an uploaded Word template of the Laporan monev, filled
        from zi_dashboard.reading.word_template import fill_untrusted as fn
    else:
        raise ValueError(task)
    return fn(*args)


def _vm(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _cap(kind: int, value: int) -> None:
    """Lower limit `kind` to `value` (never above a hard limit set from outside)."""
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, hard))


def _child(sock: socket.socket) -> None:
    """One read: send our pid, take the request, cap memory and CPU, answer, exit."""
    from zi_dashboard.reading.plan import PlanError

    sock.sendall(_HEADER.pack(os.getpid()))
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, time.monotonic() + 60))
    task, args, limit_values, memory_mb, seconds = pickle.loads(_recv_exact(sock, size, time.monotonic() + 60))
    for name, value in limit_values.items():
        setattr(limits, name, value)
    start_mb = _vm("VmRSS") / 2**20
    ceiling = int(memory_mb * 1024 * 1024)
    _cap(resource.RLIMIT_DATA, _vm("VmData") + ceiling)  # what it may allocate: the ceiling
    _cap(resource.RLIMIT_AS, _vm("VmSize") + 2 * ceiling)  # and a loose cap on what it may map
    _cap(resource.RLIMIT_CPU, int(seconds) + 2)  # in case the caller is gone
    try:
        answer = ("ok", _task(task, args))
    except UnreadableFile as exc:
        answer = ("unreadable", exc.args[0] if exc.args else "")
    except PlanError as exc:
        answer = ("plan_error", exc.problems)
    except MemoryError:
        answer = ("heavy", None)
    except Exception as exc:  # noqa: BLE001 - the caller decides; never a traceback here
        answer = ("error", f"{type(exc).__name__}: {exc}"[:500])
    measured = {"start_mb": start_mb, "peak_mb": _vm("VmHWM") / 2**20}
    try:
        body = pickle.dumps((*answer, measured), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        body = pickle.dumps(("heavy", None, measured))
    sock.sendall(_HEADER.pack(len(body)) + body)


def _warm_up() -> None:
    """Read the bundled example file (ours) once in the zygote, so every child starts with what
    a first read sets up (lazy imports, compiled patterns, the reader's caches) already done:
    a small file's read then costs the read alone (300 rows stay under 0.1 s end to end)."""
    from zi_dashboard.reading.plan import BUNDLED_PLAN, DATA_DIR, load_plan
    from zi_dashboard.reading.progress import read_progress

    example = DATA_DIR / "contoh-progres-zi-2025.xlsx"
    with contextlib.suppress(Exception):  # a missing or changed example only makes children slower
        read_progress(example.read_bytes(), example.name, load_plan(BUNDLED_PLAN))
    gc.collect()
    gc.freeze()  # what the zygote holds is never collected again: a child's collections skip it


def _serve(ctrl_fd: int) -> None:
    """The zygote: import the reader once, then fork one child per request on `ctrl_fd`;
    leave when the caller closes our stdin (it has ended)."""
    from zi_dashboard.reading import bundle, plan, progress  # noqa: F401 - imported once, shared by every child

    _warm_up()
    ctrl = socket.socket(fileno=ctrl_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    ctrl.sendall(b"R")
    stdin = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select([ctrl, stdin], [], [])
        if stdin in ready and not os.read(stdin, 1024):
            os._exit(0)
        if ctrl not in ready:
            continue
        msg, fds, _flags, _addr = socket.recv_fds(ctrl, 16, 4)
        if not msg:
            os._exit(0)
        for fd in fds:
            pid = os.fork()
            if pid == 0:
                status = 0
                try:
                    ctrl.close()
                    os.close(stdin)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    _child(socket.socket(fileno=fd))
                except BaseException:  # noqa: BLE001 - the caller sees a closed socket
                    status = 1
                finally:
                    os._exit(status)
            os.close(fd)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
