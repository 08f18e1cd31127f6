"""Only an editor's session may put a file on the server.

Streamlit takes a file on its upload endpoint (PUT /_stcore/upload_file/<session>/<file id>) for
any live session and any file id, each up to server.maxUploadSize, and keeps every one in memory
until the session ends; it has no option to refuse them.  Every uploader of the dashboard is
shown to editors only, so the app wraps Streamlit's upload manager once per server: a file for
a session that is not logged in as an editor is refused (HTTP 403) and never kept.  A session
counts as an editor's from the run in which sidebar.editor() found its editor in force, until
a run finds it is not (logout, editor removed).
"""

from __future__ import annotations

import threading

_EDITOR_SESSIONS: set[str] = set()
_LOCK = threading.Lock()
_PRUNE_ABOVE = 64  # editor sessions remembered before the ended ones are dropped


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _runtime():
    from streamlit.runtime import Runtime

    return Runtime.instance() if Runtime.exists() else None


def mark(is_editor: bool) -> None:
    """This run's session is (or is no longer) an editor's: it may (may not) upload files."""
    sid = _session_id()
    if sid is None:
        return
    with _LOCK:
        if not is_editor:
            _EDITOR_SESSIONS.discard(sid)
            return
        _EDITOR_SESSIONS.add(sid)
        runtime = _runtime()
        if len(_EDITOR_SESSIONS) > _PRUNE_ABOVE and runtime is not None:
            _EDITOR_SESSIONS.intersection_update({s for s in _EDITOR_SESSIONS if runtime.is_active_session(s)})


def may_upload(session_id: str) -> bool:
    with _LOCK:
        return session_id in _EDITOR_SESSIONS


def _refused() -> Exception:
    try:
        from starlette.exceptions import HTTPException
    except ImportError:  # another server under Streamlit: the upload fails all the same, nothing kept
        return PermissionError("uploads are for editors only")
    return HTTPException(status_code=403, detail="Uploads are for editors only")


def install() -> None:
    """Wrap this server's upload manager (once): files only for editors' sessions."""
    runtime = _runtime()
    if runtime is None:  # AppTest, bare mode: no upload endpoint
        return
    manager = runtime.uploaded_file_mgr
    with _LOCK:
        if getattr(manager, "_zi_editors_only", False):
            return
        add_file = manager.add_file

        def editors_only(session_id, file, *args, **kwargs):
            if not may_upload(session_id):
                raise _refused()
            return add_file(session_id, file, *args, **kwargs)

        manager.add_file = editors_only
        manager._zi_editors_only = True
