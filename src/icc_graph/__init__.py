"""icc-graph: the Council of Europe Intercultural Cities good-practice database as linked open data."""

__version__ = "0.1.0"
