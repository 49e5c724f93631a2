"""Delivery: the one way out. Every message to a person or to the consultants' group goes
through the durable outbox (`outbox.py`: its rows and their claims in `claims.py`, delivering
a row in `courier.py`, leases and recovery from dead processes in `leases.py`, the worker in
`worker.py`), paced by the send budget (`sendrate.py`: the token buckets in `buckets.py`, a
send's priority and bound in `sendscope.py`) and the per-chat pace (`chatpace.py`), with the
notifier interface over it (`notifier.py`); the per-person flood gate (`flood.py`) decides
what is answered now and what waits. Urgent work goes first in each of them. Channels and
the domain use it; it uses only the core and storage."""
