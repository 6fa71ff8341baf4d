"""Quantities stage: figures with their interval, unit and what they count."""
