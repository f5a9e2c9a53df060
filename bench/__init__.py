"""Tend's benchmark harness: run `python -m bench --help`."""
