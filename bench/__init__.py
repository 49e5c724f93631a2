"""Benchmarks that print figures: the bot under load against local fakes (issue: performance)."""
