"""Runs the stages over articles: options, annotation cache, per-document errors."""
