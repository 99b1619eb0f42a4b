from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Assertions read the English source strings (the API's own Dutch texts are not translated)."""
    with translation.override("en"):
        yield
