"""What the store and the editors' set-up write."""

from __future__ import annotations

# --- storage: the words the store and the editors' set-up write ---------------------------------
STORAGE = {
    "system_user": "sistem",  # who stored what the dashboard stored by itself (the bundled plan)
    "unnamed_file": "berkas",  # a stored file's name when the given one had nothing printable left
    "editor_created": (
        "\n" + "=" * 72 + "\n"
        "  Dashboard ZI: belum ada editor yang dikonfigurasi.\n"
        "  Editor baru dibuat. Catat kata sandinya sekarang; hanya ditampilkan sekali ini:\n\n"
        "      nama: {name}\n      kata sandi: {password}\n\n"
        "  Ganti atau tambah editor: python -m zi_dashboard hash-password, lalu isi\n"
        '  .streamlit/secrets.toml ([editors] nama = "hash") atau ZI_EDITORS=nama:hash.\n' + "=" * 72 + "\n"
    ),
}
