from __future__ import annotations

import pytest

from nlu.pipeline import NluPipeline


@pytest.fixture(scope="session")
def pipe() -> NluPipeline:
    """The shipped model, as a fresh install loads it."""
    return NluPipeline().load()
