"""Importers that turn content from other systems into articles."""
