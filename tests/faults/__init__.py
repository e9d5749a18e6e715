"""Helpers for the fault suite: real coach processes stopped at chosen moments."""
