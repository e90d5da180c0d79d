"""One CSV export of every pledge, alone in its own process, reporting time and peak memory.

    python -m bench.export_probe project|pandas DATABASE_URL OUT_FILE

"project" streams `tracker.exports.export_pledges(session, None, "csv")` to the
file; "pandas" is the baseline: `pandas.read_sql` of the same SELECT, then
`DataFrame.to_csv`. Peak memory is the process's high-water resident set size
(VmHWM in /proc/self/status), so it counts everything the export really held,
the interpreter and the libraries included; both modes are measured the same
way, and the resident size before the export started is reported beside it.
(`ru_maxrss` is not used: Linux carries it over from the parent across fork and
exec, so a child of a large benchmark process would report the parent's size.)
Prints one JSON line.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tracker.db import make_engine
from tracker.exports import export_pledges, pledges_select


def _rss_mb() -> float:
    """This process's peak resident set size so far, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: best effort


def run(mode: str, url: str, out: Path) -> dict[str, Any]:
    """Export every pledge to `out` the way `mode` says; return the figures."""
    import pandas as pd

    engine = make_engine(url)
    with engine.connect() as connection:  # connect before timing, as a running app would be
        connection.exec_driver_sql("SELECT 1")
    before = _rss_mb()
    start = time.perf_counter()
    with out.open("wb") as stream:
        if mode == "project":
            with Session(engine) as session:
                for chunk in export_pledges(session, None, "csv"):
                    stream.write(chunk)
        elif mode == "pandas":
            with engine.connect() as connection:
                frame = pd.read_sql(pledges_select(None), connection)
            frame.to_csv(stream, index=False)
            del frame
        else:
            raise SystemExit(f"mode must be project or pandas, not {mode!r}")
    seconds = time.perf_counter() - start
    with out.open("rb") as stream:
        rows = sum(1 for _ in stream) - 1
    return {
        "mode": mode,
        "seconds": seconds,
        "peak_rss_mb": _rss_mb(),
        "rss_before_mb": before,
        "rows": rows,
        "bytes": out.stat().st_size,
    }


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    print(json.dumps(run(sys.argv[1], sys.argv[2], Path(sys.argv[3]))))
