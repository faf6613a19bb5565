"""Run a notebook in a fresh kernel without the stalls of one long wait: the tests, tools and benchmarks use it.

nbclient waits for each reply of the kernel in one poll as long as the cell's timeout. On this course's machines
that poll sometimes misses the reply's arrival (the kernel is idle, the reply is waiting) and returns only at the
timeout, still without an error: one run of a lesson in four took 120 s longer with a 120 s timeout, always on the
same widget cell (compare nbclient issue #312). Polling in slices of POLL_SLICE finds the missed reply at once.
Voilà builds its own client, so the presenter view bounds the same stall with a cell timeout instead
(tools/present.py).
"""
from __future__ import annotations

import time
from queue import Empty

from nbclient import NotebookClient

POLL_SLICE = 0.05  # seconds: the longest a missed message waits (a poll this short costs nothing to speak of)


def wait_in_short_slices(channel) -> None:
    """Make a kernel channel wait for its next message in polls of at most ``POLL_SLICE`` seconds."""
    get_msg = channel.get_msg

    async def sliced_get_msg(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await get_msg(timeout=min(POLL_SLICE, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
    channel.get_msg = sliced_get_msg


class NotebookRunner(NotebookClient):
    """nbclient's ``NotebookClient`` whose kernel client waits in short slices; use it the same way."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        for channel in (client.shell_channel, client.iopub_channel):
            wait_in_short_slices(channel)
        return client
