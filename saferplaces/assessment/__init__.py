"""Strategic assessment."""
