"""Work handed to a forked child process, so that the build uses the machine's second core.

A fork, not a spawned process: the child starts with the parent's records, shapes and
chunks already in memory (shared page by page until written), where a spawned one would
import and read everything again. Only the function's result travels back, pickled
through a pipe; an exception in the child is raised again in the parent: as itself when
it pickles (a DataError naming the file and field), else as ChildFailed with its
traceback. The child leaves with ``os._exit``, so it never runs the parent's exit
handlers (those that remove the build's temporary folders among them).

The heap is frozen before each fork (``gc.freeze``): the garbage collector of either
process would otherwise write to every shared object it visits, copying the pages, and
each full collection walked the records and links of the whole release again (at 100k
practices the build took 194 s with them, 169 s without). ``release.build`` unfreezes
it at the end, so that a process that builds several times can collect what it left.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ChildFailed(RuntimeError):
    """The forked child raised, or died before it answered."""


class Forked(Generic[T]):
    """``work()`` running in a forked child; ``result()`` waits for it.

    As a context manager, a child whose result was not taken when the block ends (this process
    raised on its own share of the work) is killed, rather than left to finish work nobody waits for.
    """

    def __init__(self, work: Callable[[], T]):
        self._reader, writer = multiprocessing.Pipe(duplex=False)
        gc.freeze()     # see the module's docstring
        self._pid = os.fork()
        if self._pid == 0:      # the child
            self._reader.close()
            code = 0
            answer: tuple
            try:
                try:
                    answer = ("ok", work())
                except BaseException as exc:   # noqa: BLE001 - everything goes back to the parent, which raises it
                    answer, code = ("raise", exc, traceback.format_exc()), 1
                try:
                    data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
                    if code:
                        pickle.loads(data)      # an exception may pickle, yet not unpickle (another __init__)
                except Exception:   # noqa: BLE001
                    data = pickle.dumps(("error", None, answer[-1] if code else traceback.format_exc()))
                writer.send_bytes(data)
            finally:
                os._exit(code)
        writer.close()
        self._answer: tuple | None = None

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc_info) -> None:
        self.cancel()

    def cancel(self) -> None:
        """Stop the child, not wanting its result any more (this process failed on its own share)."""
        if self._answer is None:
            self._answer = ("error", None, "cancelled")
            self._reader.close()
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)

    def result(self) -> T:
        if self._answer is None:
            try:
                self._answer = pickle.loads(self._reader.recv_bytes())
            except EOFError:
                self._answer = ("error", None, "the child process ended without an answer (killed?)")
            finally:
                self._reader.close()
                os.waitpid(self._pid, 0)
        status, value, *why = self._answer
        if status == "raise":
            raise value
        if status == "error":
            raise ChildFailed(f"work in a forked build process failed:\n{why[0]}")
        return value
