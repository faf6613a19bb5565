"""Run a notebook in a fresh kernel without the stalls of one long wait: the tests, tools and benchmarks use it.

nbclient waits for each reply of the kernel in one poll as long as the cell's timeout. On this course's machines
that poll sometimes misses the reply's arrival (the kernel is idle, the reply is waiting) and returns only at the
timeout, still without an error: here one run of lesson 04 in four to seven took 120 s longer with a 120 s timeout,
always on the same widget cell (compare nbclient issue #312). Voilà, whose cell timeout is unlimited, then stays at
"Executing n of m" for good; with a 60 s timeout, 7 of 12 renderings of lesson 04 came 60 s late. Polling in
slices of POLL_SLICE finds a missed reply at once. ``voila_main`` runs Voilà with its executor polling the same way,
and, loaded as a Jupyter server extension, this module does the same for Voilà's pages in JupyterLab's server.
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


async def _start_steady_client(start, executor):
    """``start(executor)``, nbclient's start of a kernel client, with the client's channels polling in slices."""
    client = await start(executor)
    for channel in (client.shell_channel, client.iopub_channel):
        wait_in_short_slices(channel)
    return client


class NotebookRunner(NotebookClient):
    """nbclient's ``NotebookClient`` whose kernel client waits in short slices; use it the same way."""

    async def async_start_new_kernel_client(self):
        return await _start_steady_client(NotebookClient.async_start_new_kernel_client, self)


def steady_voila() -> None:
    """Make Voilà's executor poll in short slices, as ``NotebookRunner`` does (once; again changes nothing)."""
    from voila.execute import VoilaExecutor
    start = VoilaExecutor.async_start_new_kernel_client
    if getattr(start, "steady", False):
        return

    async def start_steady(executor):
        return await _start_steady_client(start, executor)
    start_steady.steady = True
    VoilaExecutor.async_start_new_kernel_client = start_steady


def voila_main() -> None:
    """``python -m voila`` (the same arguments), with Voilà's executor polling in short slices (tools/present.py)."""
    from voila.app import main
    steady_voila()
    main()


# The same fix inside a Jupyter server, for Voilà's /voila/render/ pages (the presenter link on Binder and the
# hub): a server extension, enabled by the config file that installing the package puts in
# etc/jupyter/jupyter_server_config.d (binder/jupyter_server_config.d/natocourse.json).

def _jupyter_server_extension_points():
    return [{"module": "natocourse.notebook_runner"}]


def _load_jupyter_server_extension(serverapp) -> None:
    try:
        steady_voila()
    except ImportError:  # no Voilà in this environment: nothing to fix
        return
    serverapp.log.info("natocourse: Voilà's pages wait for the kernel in short slices (natocourse.notebook_runner)")
