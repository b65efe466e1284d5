"""Benchmarks, one script per issue: `python benchmarks/<name>.py` prints a Markdown table."""
