"""Cramp Tracker user interface (Qt)."""
