"""Delivery: the one way out. Every message to a person or to the consultants' group goes
through the durable outbox (`outbox.py`), paced by the send budget and the per-chat pace
(`sendrate.py`), with the notifier interface over it (`notifier.py`); the per-person flood
gate (`flood.py`) decides what is answered now and what waits. Urgent work goes first in
each of them. Channels and the domain use it; it uses only the core and storage."""
