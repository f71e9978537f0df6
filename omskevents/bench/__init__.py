"""Benchmarks: `python -m omskevents.bench` (or `make bench`) prints a table and writes var/bench.json."""
