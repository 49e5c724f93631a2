"""A durable inbox for platform updates: stored before they are acknowledged, processed once."""
