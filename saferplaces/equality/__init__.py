"""Equality analysis."""
