"""A contacts sheet: which PIC is reached at which phone number or e-mail address.

Two columns are enough: PIC (any header the progress file accepts for it) and the contact
(No. HP / WhatsApp / Telepon, or Email / Surel).  Used for WhatsApp links on Kesiapan and for
`remind --to-map`.  Read here, in the reader's child process; what is read (PIC -> number) is
kept per work plan by the service (app/service/contacts.py save_contact_sheet), never the file."""

from __future__ import annotations

from zi_dashboard import labels as L
from zi_dashboard.reading.header import cell_text, header_field, normalise_header
from zi_dashboard.reading.sheets import UnreadableFile, read_grids

CONTACT_HEADERS = {
    "phone": [
        "no hp",
        "nomor hp",
        "hp",
        "no wa",
        "nomor wa",
        "whatsapp",
        "wa",
        "telepon",
        "no telepon",
        "telp",
        "nomor telepon",
        "ponsel",
        "kontak",
    ],
    "email": ["email", "e mail", "surel", "alamat email", "alamat surel"],
}


def read_contacts(data: bytes, filename: str, kind: str) -> dict[str, str]:
    """PIC -> contact text.  Raises UnreadableFile when no sheet has both columns."""
    wanted = CONTACT_HEADERS[kind]
    for grid in read_grids(data, filename):
        for i, row in enumerate(grid.rows[:40]):
            pic_col = next((j for j, v in enumerate(row) if header_field(v) == "pic"), None)
            contact_col = next((j for j, v in enumerate(row) if normalise_header(v) in wanted), None)
            if pic_col is None or contact_col is None:
                continue
            out: dict[str, str] = {}
            for cells in grid.rows[i + 1 :]:
                pic = cell_text(cells[pic_col] if pic_col < len(cells) else None)
                contact = cell_text(cells[contact_col] if contact_col < len(cells) else None)
                if pic and contact:
                    out.setdefault(pic, contact)
            return out
    kinds = {"phone": L.READY["contact_phone"], "email": L.READY["contact_email"]}
    raise UnreadableFile(L.msg("contacts_no_table", kind=kinds[kind]))
