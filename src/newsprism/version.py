"""The version of newsprism (also in the distribution metadata, checked by a test)."""

__version__ = "0.1.0"
