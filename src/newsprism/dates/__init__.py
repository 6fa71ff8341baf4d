"""Dates stage: explicit and relative dates resolved against the publication date."""
