"""natocourse.notebook_runner: a kernel channel waits in short polls, so a missed message costs a slice, not a timeout."""
from __future__ import annotations

import asyncio
import time
from queue import Empty

import nbformat
import pytest

from natocourse.notebook_runner import POLL_SLICE, NotebookRunner, wait_in_short_slices


class MissedArrival:
    """A channel whose message is there but whose first ``misses`` polls do not see it (as a missed wake-up)."""

    def __init__(self, misses: int):
        self.misses, self.asked = misses, []

    async def get_msg(self, timeout=None):
        self.asked.append(timeout)
        if len(self.asked) <= self.misses:
            raise Empty
        return {"msg_type": "execute_reply"}


def test_a_missed_message_is_found_by_the_next_short_poll():
    channel = MissedArrival(misses=3)
    wait_in_short_slices(channel)
    assert asyncio.run(channel.get_msg(timeout=600)) == {"msg_type": "execute_reply"}
    assert len(channel.asked) == 4 and all(t <= POLL_SLICE for t in channel.asked), channel.asked


def test_a_wait_without_timeout_polls_in_slices_too():
    channel = MissedArrival(misses=2)
    wait_in_short_slices(channel)
    asyncio.run(channel.get_msg())
    assert channel.asked == [POLL_SLICE] * 3


def test_no_message_still_times_out_at_the_deadline():
    channel = MissedArrival(misses=10**9)
    wait_in_short_slices(channel)
    started = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(channel.get_msg(timeout=0.2))
    assert time.monotonic() - started < 5  # the fake answers at once: the loop stops once the deadline has passed


def test_a_notebook_runs_with_the_runner():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    NotebookRunner(notebook, timeout=60, kernel_name="python3").execute()
    assert notebook.cells[0].outputs[0]["text"] == "42\n"


def test_the_server_extension_makes_voila_poll_in_slices_once(monkeypatch):
    """Loaded by a Jupyter server (Binder's presenter link), the module patches Voilà's executor, and only once."""
    execute = pytest.importorskip("voila.execute")
    import natocourse.notebook_runner as runner

    original = execute.VoilaExecutor.async_start_new_kernel_client
    monkeypatch.setattr(execute.VoilaExecutor, "async_start_new_kernel_client", original)  # undone after the test
    logged = []
    server = type("Server", (), {"log": type("Log", (), {"info": staticmethod(logged.append)})()})()
    runner._load_jupyter_server_extension(server)
    patched = execute.VoilaExecutor.async_start_new_kernel_client
    assert patched is not original and getattr(patched, "steady", False)
    runner._load_jupyter_server_extension(server)  # a second load wraps nothing twice
    assert execute.VoilaExecutor.async_start_new_kernel_client is patched
    assert logged and "short slices" in logged[0]
    assert runner._jupyter_server_extension_points() == [{"module": "natocourse.notebook_runner"}]


def test_installing_the_package_enables_the_server_extension():
    """The config file that pyproject.toml installs into etc/jupyter enables the extension, and the Makefile copies
    the same file for an editable install (which leaves data files out)."""
    import json
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    installed = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["data-files"]
    files = installed["etc/jupyter/jupyter_server_config.d"]
    assert files == ["binder/jupyter_server_config.d/natocourse.json"]
    config = json.loads((root / files[0]).read_text(encoding="utf-8"))
    assert config == {"ServerApp": {"jpserver_extensions": {"natocourse.notebook_runner": True}}}
    assert f"cp {files[0]} $(VENV)/etc/jupyter/jupyter_server_config.d/" in (root / "Makefile").read_text()
