"""The public JSON API (Django REST framework), contract in API.md."""
