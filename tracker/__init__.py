"""Pledge tracker."""
