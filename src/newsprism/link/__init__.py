"""Names across documents: mentions of one person, place or organisation linked into entities."""
