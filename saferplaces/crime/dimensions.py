"""What a crime summary can be broken down by and measured in. A module of its own so that
command-line parsers can offer the choices without importing the analytics."""

DIMENSIONS = ("crime-type", "month", "lsoa", "ward", "outcome")
MEASURES = ("count", "rate", "harm")
# What a change against earlier periods can be broken down by.
CHANGE_BY = ("total", "crime-type", "ward", "lsoa", "outcome")
