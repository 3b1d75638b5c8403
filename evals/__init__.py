"""Measures retrieval and answers against a gold question set."""
