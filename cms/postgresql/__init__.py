"""Django's PostgreSQL backend with a deadline on every round trip (base.py)."""
