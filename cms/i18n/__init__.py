"""The Vietnamese admin: which catalogs the admin uses, merging, checks, coverage.

``locale/vi/LC_MESSAGES/{django,djangojs}.po`` is the single source of truth for
every Vietnamese string newsdesk ships; see docs/i18n.md.
"""
