"""A separate process that stores one file: used by the concurrency and crash tests.

python tests/store_worker.py save URL FILE NAME START_AT
python tests/store_worker.py hang URL FILE NAME MARKER
"""

import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zi_dashboard.reading.plan import plan_from_bytes  # noqa: E402
from zi_dashboard.reading.progress import read_progress  # noqa: E402
from zi_dashboard.storage import store as zs  # noqa: E402
from zi_dashboard.storage import uploads  # noqa: E402


def main() -> int:
    mode, url, path, name = sys.argv[1:5]
    st = zs.open_store(url)
    stored_plan = st.latest_plan()
    plan = plan_from_bytes(stored_plan.content, stored_plan.filename)
    data = Path(path).read_bytes()
    report = read_progress(data, name, plan)
    assert report.valid, report.problems
    if mode == "save":
        start_at = float(sys.argv[5])
        while time.time() < start_at:  # all workers write at the same moment
            time.sleep(0.001)
    else:
        marker = Path(sys.argv[5])
        real_insert = uploads.insert

        def insert_then_hang(table):
            if table is uploads.events:  # snapshot and rows written, transaction not committed
                marker.write_text("in transaction")
                signal.pause()  # until the test kills this process
            return real_insert(table)

        uploads.insert = insert_then_hang
    saved = st.save(data, name, f"worker {name}", report.position_date, report.rows, stored_plan.id)
    print(saved.snapshot.id, saved.duplicate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
