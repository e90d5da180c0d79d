"""Figures, their targets, the printed table and bench/results.json."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS_FILE = Path(__file__).resolve().parent / "results.json"


@dataclass
class Figure:
    """One measured figure, its same-run baseline (if any) and the target it must meet.

    `target_kind` says how the target reads: "max" (value ≤ target), "min"
    (value ≥ target), "max_ratio" (value / baseline ≤ target) or "min_ratio"
    (value / baseline ≥ target). `passed` is None when the figure could not be
    measured (then `note` says why).
    """

    backend: str
    name: str
    unit: str
    value: float | None
    baseline: float | None
    target: float
    target_kind: str
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """value / baseline, when both are known."""
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def passed(self) -> bool | None:
        """Whether the target is met; None when nothing was measured."""
        if self.value is None:
            return None
        if self.target_kind == "max":
            return self.value <= self.target
        if self.target_kind == "min":
            return self.value >= self.target
        ratio = self.ratio
        if ratio is None:
            return None
        return ratio <= self.target if self.target_kind == "max_ratio" else ratio >= self.target

    def target_text(self) -> str:
        """The target in words: "≤ 50 ms", "≥ 0.25 × baseline"."""
        sign = "≤" if self.target_kind.startswith("max") else "≥"
        if self.target_kind.endswith("ratio"):
            return f"{sign} {self.target:g} × baseline"
        return f"{sign} {self.target:g} {self.unit}"

    def as_json(self) -> dict[str, Any]:
        """The figure as a JSON object, with its ratio and verdict."""
        return asdict(self) | {"ratio": self.ratio, "passed": self.passed}


def _number(value: float | None) -> str:
    """A figure for the table: three significant digits, or "-"."""
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def format_table(figures: list[Figure]) -> str:
    """One plain-text table: figure, value, baseline, ratio, target, pass/fail."""
    header = ("backend", "figure", "value", "baseline", "ratio", "target", "result")
    rows = [header]
    for f in figures:
        verdict = {True: "pass", False: "FAIL", None: "not measured"}[f.passed]
        rows.append(
            (
                f.backend,
                f"{f.name} ({f.unit})",
                _number(f.value),
                _number(f.baseline),
                "-" if f.ratio is None else f"{f.ratio:.3f}",
                f.target_text(),
                verdict + (f" — {f.note}" if f.note and f.passed is None else ""),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for number, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]))
        if number == 0:
            lines.append("  ".join("-" * width for width in [*widths, 6]))
    return "\n".join(lines)


def _first_line(command: list[str]) -> str:
    """The first line a command prints, or "" when it cannot run."""
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return ""
    return output.stdout.strip().splitlines()[0] if output.stdout.strip() else ""


def python_yardstick() -> float:
    """Process CPU seconds (best of five) of a fixed pure-Python loop of integer, string
    and dictionary work. The absolute rates (extraction, table import) move with it
    from one machine, or one moment of a shared machine, to another."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        counts: dict[str, int] = {}
        for number in range(300_000):
            key = str(number % 1000)
            counts[key] = counts.get(key, 0) + number
        best = min(best, time.process_time() - start)
    return round(best, 4)


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPUs, memory, CPU model, Python and its speed."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory_kb = 0
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "python_yardstick_s": python_yardstick(),
    }


def write_results(figures: list[Figure], settings: dict[str, Any], path: Path) -> None:
    """Write every figure, the run's settings and the machine to `path` as JSON."""
    document = {
        "settings": settings,
        "machine": machine(),
        "figures": [figure.as_json() for figure in figures],
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
