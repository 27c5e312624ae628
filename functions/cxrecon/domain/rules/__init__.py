"""One procedure rule per module. `decide.py` applies them in order; each returns data, never raises."""
