"""Committee reports."""
