"""Turns files into documents, passages and vectors in the store."""
