"""govsite: evaluate and monitor government websites against the national survey indicator systems."""

__version__ = "0.1.0"
