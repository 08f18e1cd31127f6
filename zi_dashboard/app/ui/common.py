"""Small pieces every part of the page glue uses: text shown as typed, the one-time message
after an action, the key that empties the uploaders after a save, and the forms."""

from __future__ import annotations

import html

import streamlit as st

from zi_dashboard.reading.limits import too_long

_UPLOADER = "_zi_uploader_n"
_FLASH = "_zi_flash"


def md_escape(text: str) -> str:
    """Text from a file or a user, safe inside Markdown: shown as typed, never as markup."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$:=" else ch for ch in str(text))


def esc(text: str) -> str:
    """Text from a file or a user, safe inside HTML."""
    return html.escape(str(text))


def bounded_address() -> None:
    """Drop from the address every parameter (name or value) longer than limits.MAX_TEXT_CHARS:
    none the dashboard makes is, and a forged one of megabytes is then never looked at."""
    for key in [k for k in st.query_params if too_long(k, *st.query_params.get_all(k))]:
        del st.query_params[key]


def flash() -> None:
    """Show the message an action left for the next run (e.g. "saved"), once."""
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)


def form(key: str, clear_on_submit: bool = False, enter_to_submit: bool = False):
    """Every form of the dashboard: sent with its button only (no save by a stray Enter), except
    where Enter is what people press (the login); Streamlit's hint for it ("Press Enter to submit
    form") is shown in Indonesian by the page's translator."""
    return st.form(key, clear_on_submit=clear_on_submit, enter_to_submit=enter_to_submit)


def done(message: str) -> None:
    """After an action: leave `message` for the next run, empty the uploaders, run again."""
    st.session_state[_FLASH] = message
    st.session_state[_UPLOADER] = st.session_state.get(_UPLOADER, 0) + 1
    st.rerun()


def upload_round() -> int:
    """How many actions emptied the uploaders so far (a new round: new, empty uploaders)."""
    return st.session_state.get(_UPLOADER, 0)


def uploader_key() -> str:
    return f"uploader-{upload_round()}"
