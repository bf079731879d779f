"""What the tests and the benchmarks both run: the project served by a real
gunicorn (``harness.server``) and the demo site behind it
(``harness.demo_site``). Imports nothing of ``tests`` or ``bench``, and
neither imports the other."""
