"""Quotes stage: direct and indirect reported speech with its speaker."""
