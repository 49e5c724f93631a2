"""The anonymous registry of contacts that the service reports from."""
