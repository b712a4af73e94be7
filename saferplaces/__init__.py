"""saferplaces: an open-source platform for UK Community Safety Partnerships."""

__version__ = "0.1.0"
