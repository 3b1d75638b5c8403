"""Turns a question into cited evidence and an answer."""
