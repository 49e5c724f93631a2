"""Reports from the anonymous registry: figures, charts, exports and demo data for staff."""
