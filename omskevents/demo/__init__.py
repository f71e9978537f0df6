"""Demo data for development, tests and benchmarks: installed only by settings/local.py and settings/test.py."""
