"""Outages and memory: issue #13 items 7, 8 and 12."""
