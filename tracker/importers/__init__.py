"""Imports of articles and tables; each import is one transaction."""
