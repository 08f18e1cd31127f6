"""Limits on what a file may be, enforced by the core (so by the app and the CLI alike).
Each can be set in the environment.

MAX_FILE_MB: real progress files are 10-100 KB; a file at the row limit (50,000 rows, every text
column filled) is about 2.1 MB as .xlsx.  3 MB takes that with room and keeps what an anonymous
session can make the server hold per upload small (Streamlit keeps an uploaded file in memory);
.streamlit/config.toml server.maxUploadSize and deploy/nginx-zi-dashboard.conf say the same."""

import os


def _env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


MAX_FILE_MB = _env("ZI_MAX_UPLOAD_MB", 3)  # a file's size (= server.maxUploadSize, deploy/)
MAX_ROWS = int(_env("ZI_MAX_ROWS", 50_000))  # rows with content in the sheet read
MAX_EXPANDED_MB = _env("ZI_MAX_EXPANDED_MB", 250)  # an .xlsx's parts, uncompressed, together
MAX_RATIO = _env("ZI_MAX_ZIP_RATIO", 200)  # a large part's uncompressed / compressed size
MAX_CELL_CHARS = int(_env("ZI_MAX_CELL_CHARS", 2_000))
MAX_CELLS = int(_env("ZI_MAX_CELLS", 2_000_000))  # the area (rows x columns) all sheets span, together
# a zip bundle of many units' files (reading/bundle.py): each member at most MAX_FILE_MB and at most
# MAX_RATIO compressed, all of them together at most MAX_EXPANDED_MB, and at most this many files
MAX_BUNDLE_FILES = int(_env("ZI_MAX_BUNDLE_FILES", 600))
# reading an uploaded or given file happens in a child process (zi_dashboard.reading.sandbox): past
# either of these it is killed and the file refused as too heavy
READ_MEMORY_MB = _env("ZI_READ_MEMORY_MB", 512)  # memory the child may take on top of its start
READ_SECONDS = _env("ZI_READ_SECONDS", 20)  # wall-clock time the child may take
# at most this many such children at once per server process (every session together); a read
# waits for its turn at most READ_WAIT_SECONDS, then the user is told the server is busy
READ_CONCURRENT = max(1, int(_env("ZI_READ_CONCURRENT", 2)))
READ_WAIT_SECONDS = _env("ZI_READ_WAIT_SECONDS", 30)
# every text a visitor sends (a search box, a login, ?satker=/?tahun= in the address): the widgets
# take at most this many characters and the core cuts (a search) or refuses (a name, a login)
# anything longer before doing any work with it, so a forged message cannot make the server
# match, cache or hash megabytes of text
MAX_TEXT_CHARS = int(_env("ZI_MAX_TEXT_CHARS", 256))


def visitor_text(text: object) -> str:
    """A text a visitor sent, cut to MAX_TEXT_CHARS characters."""
    return (text if isinstance(text, str) else "" if text is None else str(text))[:MAX_TEXT_CHARS]


def too_long(*texts: object) -> bool:
    """Whether any of these visitor texts is longer than MAX_TEXT_CHARS."""
    return any(isinstance(t, str) and len(t) > MAX_TEXT_CHARS for t in texts)
