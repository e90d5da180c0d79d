"""The test suite. `REPO_ROOT` is the checkout the tests run from (README, docs, bench)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
