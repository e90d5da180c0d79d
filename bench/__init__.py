"""Benchmarks of the tracker at scale: `make bench`, `python -m bench`."""
