"""The readiness CLI contract: `readiness FILE ... --json` with its exit codes, the
stored self-assessment (`assess`, `assessment-template`), and `remind` printing the follow-up
messages or sending them through a local SMTP server started here."""

from __future__ import annotations

import io
import json
import socket
import socketserver
import subprocess
import sys
import threading
from email import message_from_bytes, policy

import openpyxl
import pytest
from builders import CODES, csv_bytes, standard_rows
from conftest import ROOT

from zi_dashboard.counting.metrics import compute
from zi_dashboard.counting.readiness import readiness
from zi_dashboard.outputs.readiness_cli import as_dict
from zi_dashboard.reading.assessment import Assessment
from zi_dashboard.reading.example import EXAMPLE_FILE
from zi_dashboard.reading.plan import load_plan
from zi_dashboard.reading.progress import read_progress

pytestmark = pytest.mark.slow  # every test runs the CLI as a process

AS_OF = "2025-11-15"
KEYS = {
    "as_of",
    "pemenuhan",
    "reform",
    "pengungkit",
    "hasil",
    "total",
    "gates",
    "wbk",
    "wbbm",
    "open_points",
    "missing",
}


def cli(*args, env_url, stdin=None):
    import os

    env = dict(os.environ, ZI_DATABASE_URL=env_url)
    p = subprocess.run(
        [sys.executable, "-m", "zi_dashboard", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in p.stderr + p.stdout
    return p


@pytest.fixture
def worked(tmp_path):
    f = tmp_path / "progres-uji.csv"
    f.write_bytes(csv_bytes(standard_rows({"1.1": 100, "1.2": 80, "1.3": 40, "1.4": 30})))
    return f


def test_readiness_json_contract_and_the_worked_check(temp_db, worked):
    p = cli("readiness", str(worked), "--as-of", AS_OF, "--json", env_url=temp_db)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert set(out) >= KEYS and out["as_of"] == AS_OF
    assert out["pemenuhan"]["max"] == 30.0
    (mp,) = [a for a in out["pemenuhan"]["areas"] if a["code"] == "1"]
    assert mp == {"code": "1", "name": "Manajemen Perubahan", "points": 2.15, "max": 4.0}
    assert out["pemenuhan"]["total"] == 2.15 and out["pengungkit"] == 2.15 and out["total"] == 2.15
    assert set(out["hasil"]) >= {"ipak_points", "kinerja_points", "birokrasi_bersih", "ipkp_points", "total"}
    assert all(
        isinstance(g["value"], float) and isinstance(g["threshold"], float) and isinstance(g["pass"], bool)
        for p in ("WBK", "WBBM")
        for g in out["gates"][p]
    )
    assert {g["gate"] for g in out["gates"]["WBK"]} >= {"total", "pengungkit", "area.5", "ipak", "pelayanan_prima"}
    assert out["wbk"] is False and out["wbbm"] is False
    # nothing stored: every self-assessment value is missing, counted 0, and listed
    assert out["missing"] == ["R1", "R2", "R3", "R4", "R5", "R6", "IPAK", "IPKP", "KINERJA"]
    top = out["open_points"][0]
    assert set(top) >= {"code", "points", "status"} and top["points"] == 2.5
    overdue = [o for o in out["open_points"] if o["code"] == "1.2"]
    assert overdue == [{"code": "1.2", "points": 0.2, "status": "Terlambat", "overdue": True}]


def test_options_give_the_self_assessment(temp_db, worked):
    args = [
        "readiness",
        str(worked),
        "--as-of",
        AS_OF,
        "--json",
        "--reform",
        "1=4,2=3.5,3=5,4=5,5=7.5,6=5",
        "--ipak",
        "3,6",
        "--ipkp",
        "3.2",
        "--kinerja",
        "2.5",
    ]
    out = json.loads(cli(*args, env_url=temp_db).stdout)
    assert out["reform"]["total"] == 30.0 and out["missing"] == []
    assert out["hasil"] == {
        "ipak_points": 15.75,
        "kinerja_points": 2.5,
        "birokrasi_bersih": 18.25,
        "ipkp_points": 14.0,
        "total": 32.25,
    }
    gates = {g["gate"]: g for g in out["gates"]["WBK"]}
    assert gates["ipak"]["pass"] and gates["birokrasi_bersih"]["pass"] and gates["pelayanan_prima"]["pass"]
    assert gates["kinerja"]["value"] == 2.5 and gates["kinerja"]["threshold"] == 2.5 and gates["kinerja"]["pass"]
    # the figures are the core's, to three decimals
    plan = load_plan()
    rows = read_progress(worked.read_bytes(), worked.name, plan).rows
    from datetime import date

    core = as_dict(
        readiness(
            compute(plan, rows, date(2025, 11, 15)),
            Assessment({"1": 4, "2": 3.5, "3": 5, "4": 5, "5": 7.5, "6": 5}, {}, 3.6, 3.2, 2.5),
        )
    )
    assert out == core


@pytest.mark.parametrize(
    "option,value",
    [
        ("--ipak", "4,5"),
        ("--kinerja", "lima"),
        ("--reform", "5=8"),
        ("--reform", "satu"),
        ("--ipak", "4.0000000001"),
        ("--kinerja", "5,000000000001"),
    ],
)
def test_bad_options_are_refused(temp_db, worked, option, value):
    p = cli("readiness", str(worked), "--as-of", AS_OF, option, value, env_url=temp_db)
    assert p.returncode == 1 and p.stderr.strip()


def test_exit_codes_as_check(temp_db, tmp_path):
    bad = tmp_path / "rusak.csv"
    bad.write_text("Kode;Progres (%)\n1.1;seratus\n", encoding="utf-8")
    p = cli("readiness", str(bad), "--json", env_url=temp_db)
    assert p.returncode == 1 and json.loads(p.stdout)["valid"] is False
    pdf = tmp_path / "laporan.xlsx"
    pdf.write_bytes(b"%PDF-1.7 no sheet")
    assert cli("readiness", str(pdf), env_url=temp_db).returncode == 2
    assert cli("readiness", str(tmp_path / "tidak-ada.xlsx"), env_url=temp_db).returncode == 2


def test_stored_self_assessment_is_used(temp_db, worked, tmp_path):
    template = tmp_path / "templat-penilaian.xlsx"
    assert cli("assessment-template", str(template), env_url=temp_db).returncode == 0
    wb = openpyxl.load_workbook(template)
    ws = wb.active
    for row in ws.iter_rows(min_row=5):
        row[2].value = {"R5": "6", "IPAK": "3,8", "IPKP": 3.5, "KINERJA": 4}.get(row[0].value)
    buf = io.BytesIO()
    wb.save(buf)
    template.write_bytes(buf.getvalue())
    p = cli("assess", str(template), "--by", "Sekretaris", env_url=temp_db)
    assert p.returncode == 0 and "#1" in p.stdout
    out = json.loads(cli("readiness", str(worked), "--as-of", AS_OF, "--json", env_url=temp_db).stdout)
    assert out["reform"]["total"] == 6.0 and out["hasil"]["ipak_points"] == 16.625
    assert out["missing"] == ["R1", "R2", "R3", "R4", "R6"]
    # a bad sheet is refused, naming the field, and the stored one stays in use
    ws["C5"] = "banyak"
    wb.save(template)
    p = cli("assess", str(template), "--by", "Sekretaris", env_url=temp_db)
    assert p.returncode == 1 and "Reform 1" in p.stderr
    from zi_dashboard.storage.store import open_store

    assert [a.id for a in open_store(temp_db).assessments()] == [1]


def test_text_output(temp_db, worked):
    p = cli("readiness", str(worked), "--as-of", AS_OF, env_url=temp_db)
    assert p.returncode == 0
    assert "Pemenuhan (perkiraan): 2,15 dari 30,00" in p.stdout and "bukan nilai resmi" in p.stdout


# --- remind --------------------------------------------------------------------------------
def test_remind_prints_the_messages(temp_db):
    p = cli("remind", "--as-of", AS_OF, env_url=temp_db)
    assert p.returncode == 0
    assert "Yth. Kasubbag Parmas & SDM," in p.stdout
    assert "1.2 Rencana Pembangunan ZI: terlambat 15 hari" in p.stdout


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive messages (RFC 5321 happy path), kept in server.received."""

    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        self.reply("220 localhost uji")
        mail_from, rcpts = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode().strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                mail_from, rcpts = cmd, []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.received.append((mail_from, rcpts, data))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_remind_sends_through_smtp(temp_db, tmp_path, smtp_server):
    host, port = smtp_server.server_address
    to_map = tmp_path / "kontak.csv"
    to_map.write_bytes(
        csv_bytes(
            [
                ["PIC", "Email"],
                ["Kasubbag Parmas & SDM", "parmas@kpu.example"],
                ["Kasubbag Perencanaan", "perencanaan@kpu.example"],
            ]
        )
    )
    url = f"smtp://{host}:{port}"
    dry = cli("remind", "--as-of", AS_OF, "--dry-run", "--smtp-url", url, "--to-map", str(to_map), env_url=temp_db)
    assert dry.returncode == 0 and "parmas@kpu.example" in dry.stdout and smtp_server.received == []
    p = cli(
        "remind",
        "--as-of",
        AS_OF,
        "--smtp-url",
        url,
        "--to-map",
        str(to_map),
        "--from",
        "zi@kpu.example",
        env_url=temp_db,
    )
    assert p.returncode == 0, p.stderr
    assert "Terkirim ke parmas@kpu.example" in p.stdout
    assert "Tidak ada alamat surel untuk" in p.stdout  # PICs without an address are named, not sent
    sent = {rcpts[0]: message_from_bytes(data, policy=policy.default) for _, rcpts, data in smtp_server.received}
    assert set(sent) == {"parmas@kpu.example", "perencanaan@kpu.example"}
    msg = sent["parmas@kpu.example"]
    assert msg["From"] == "zi@kpu.example" and "Tindak lanjut Zona Integritas" in msg["Subject"]
    body = msg.get_content()
    assert "Yth. Kasubbag Parmas & SDM," in body and "1.2 Rencana Pembangunan ZI: terlambat 15 hari" in body


def test_remind_with_an_unreachable_server_says_so(temp_db, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    to_map = tmp_path / "kontak.csv"
    to_map.write_bytes(csv_bytes([["PIC", "Email"], ["Kasubbag Parmas & SDM", "parmas@kpu.example"]]))
    p = cli(
        "remind", "--as-of", AS_OF, "--smtp-url", f"smtp://127.0.0.1:{port}", "--to-map", str(to_map), env_url=temp_db
    )
    assert p.returncode == 1 and "tidak terkirim" in p.stderr
    assert cli("remind", "--smtp-url", "http://x", "--to-map", str(to_map), env_url=temp_db).returncode == 2


def test_example_data_readiness_matches_the_cli(temp_db):
    p = cli("readiness", str(EXAMPLE_FILE), "--as-of", AS_OF, "--json", env_url=temp_db)
    plan = load_plan()
    rows = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan).rows
    from datetime import date

    assert json.loads(p.stdout) == as_dict(readiness(compute(plan, rows, date(2025, 11, 15))))
    assert len(CODES) == 25


def test_a_stored_value_over_its_maximum_is_counted_at_the_maximum_and_said(temp_db, worked):
    """A store made before the no-tolerance rule holds IPAK 4,0000000000000009: `readiness` counts
    4 and says how to fix it; `assess` refuses such a sheet."""
    from zi_dashboard.storage.store import open_store

    open_store(temp_db).save_assessment('{"IPAK": 4.000000000000001}', "penilaian.xlsx", "Ketua")
    p = cli("readiness", str(worked), "--as-of", AS_OF, "--json", env_url=temp_db)
    assert p.returncode == 0 and "isian #1" in p.stderr and "IPAK" in p.stderr
    assert json.loads(p.stdout) == json.loads(
        cli("readiness", str(worked), "--as-of", AS_OF, "--json", "--ipak", "4", env_url=temp_db).stdout
    )


def test_readiness_of_a_file_counts_at_its_position_date_and_needs_no_unit(temp_db, tmp_path):
    """`readiness FILE` of a file positioned 30 November 2025 says so (not
    today), and with two units' plans in the store runs without --unit (it only reads a file)."""
    from bulk_builders import plan_file, progress_file

    plan = tmp_path / "rk-garut.csv"
    plan.write_bytes(plan_file("KPU Kabupaten Garut", 2026))
    assert cli("plan-add", str(plan), "--by", "Admin TI", env_url=temp_db).returncode == 0
    f = tmp_path / "progres.xlsx"
    f.write_bytes(progress_file("LAPORAN PROGRES ZI", "30 November 2025", {"1.1": 100}, 40))
    p = cli("readiness", str(f), env_url=temp_db)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0].endswith("posisi per 30 November 2025")
    assert "--unit" in p.stderr  # which saved self-assessment: none, and how to name one
    named = cli("readiness", str(f), "--unit", "Kota Tasikmalaya", "--json", env_url=temp_db)
    assert named.returncode == 0 and json.loads(named.stdout)["as_of"] == "2025-11-30"


def test_readiness_prints_one_pengungkit_figure():
    """Pemenuhan + Reform and the sum of the areas differ in the last bit
    (29,095 vs 29,095000000000002): one value, one rounding rule, 29,10 everywhere."""
    import re
    from datetime import date

    from zi_dashboard.outputs.readiness_cli import readiness_text

    progress = [
        0,
        95,
        85,
        30,
        30,
        30,
        60,
        90,
        5,
        100,
        20,
        100,
        0,
        40,
        75,
        85,
        5,
        35,
        20,
        95,
        50,
        5,
        30,
        15,
        20,
        100,
        85,
    ]
    plan = load_plan()
    rows = read_progress(EXAMPLE_FILE.read_bytes(), EXAMPLE_FILE.name, plan).rows.copy()
    rows["progress"] = [float(v) for v in progress]
    reform = {"1": 2.93, "2": 2.14, "3": 0.37, "4": 2.75, "5": 5.21, "6": 2.52}
    r = readiness(compute(plan, rows, date(2025, 11, 30)), Assessment(reform, {}, 3.0, 3.0, 3.0))
    text = readiness_text(r)
    shown = set(re.findall(r"Pengungkit:? (\d+,\d\d)", text))
    assert shown == {"29,10"}, text
