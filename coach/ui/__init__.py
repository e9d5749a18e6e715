"""The Textual app: a thin layer over coach.core."""
