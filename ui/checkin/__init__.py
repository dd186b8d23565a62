"""The daily check-in, its calendar strip, and the medicine list (issue 16)."""
