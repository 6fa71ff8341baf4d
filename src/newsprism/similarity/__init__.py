"""Article similarity: a learned model over cross-lingual features."""
