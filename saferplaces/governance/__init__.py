"""Board meetings."""
