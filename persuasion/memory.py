"""Memories that last one block: a context variable holding a dict while a ``with`` block runs.

:func:`persuasion.lp.pipeline.remembering` and
:func:`persuasion.cells.remembering` keep answers computed again and again
within one best response or one solve; this is their one mechanism.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar


@contextlib.contextmanager
def scope(memory: ContextVar[dict | None]) -> Iterator[None]:
    """Within the block, ``memory`` holds a dict that ends with the block; nested blocks share the
    outermost block's dict."""
    if memory.get() is not None:
        yield
        return
    token = memory.set({})
    try:
        yield
    finally:
        memory.reset(token)
