"""What the tests and the benchmarks both run: the project served by a real
gunicorn (``harness.server``). Imports nothing of ``tests`` or ``bench``, and
neither imports the other."""
