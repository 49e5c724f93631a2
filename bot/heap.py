"""The heap a serving process starts with, kept out of the cyclic garbage collector's way.

Some 220,000 objects exist once the bot has started (the NLU model, aiogram's and
SQLAlchemy's types, the texts), and they live as long as the process. Python's full
collection walked all of them every few seconds under a burst: 130-150 ms with the event
loop stopped, every turn waiting, an urgent one included (docs/benchmarks.md, session 10).
Frozen, a full collection walks only what was made since."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect what start-up left behind, then freeze the rest; how many objects were frozen.
    Call once, when the process is ready to serve."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
