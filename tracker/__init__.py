"""Cramp Tracker core: plain Python, no Qt."""
