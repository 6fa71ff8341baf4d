"""The coverage diff: statements aligned across articles, grouped into facts with a status."""
