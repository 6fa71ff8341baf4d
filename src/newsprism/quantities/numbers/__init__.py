"""Numbers written in digits or words, in the languages newsprism reads."""
