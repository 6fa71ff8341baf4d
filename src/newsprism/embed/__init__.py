"""Embeddings: cross-lingual sentence vectors (alignment) and article vectors (stories)."""
