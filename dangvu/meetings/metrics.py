"""Placeholder: written by its owner (issue 7)."""
