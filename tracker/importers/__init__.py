"""Imports of articles and tables. One transaction per import: all of it or nothing."""
