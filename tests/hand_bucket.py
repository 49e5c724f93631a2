"""A send budget the test controls: the platform's tokens only when the test hands them out."""

from __future__ import annotations


class HandBucket:
    """Stands in for the shared send bucket (`delivery/sendrate.py`): `take` grants a token
    while the test has handed one out, else asks the caller to wait a few milliseconds."""

    def __init__(self) -> None:
        self.tokens = 0

    async def take(self, priority: int = 0) -> float:
        if self.tokens:
            self.tokens -= 1
            return 0.0
        return 0.005
