"""The public JSON API (Django REST framework), contract in docs/api.md."""
