"""Benchmarks, one module each, run as `python -m bench.<name>` from the repo root.

Each builds its own data in a scratch database (`bench.common.scratch_database`), prints
human-readable lines and, as the last line, one JSON object with the measured figures.
"""
