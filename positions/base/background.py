"""Work done on the second core while the caller goes on: a forked process, or the caller itself where it cannot be.

:class:`Background` runs a function in a child process forked from the
caller (so the child has the caller's tables and settings, nothing is pickled
on the way in) and hands its result back through a pipe.  Where a child
cannot be forked (not Linux, one CPU, inside a daemonic worker) or the child
fails for any reason, :meth:`Background.result` runs the function in the
caller instead: the result is the same either way, only the time differs.
The function must be safe to run twice (write files whole, to fixed names).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Background", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether :class:`Background` runs its work in a forked child: Linux, two or more CPUs, not in a daemon.

    Examples
    --------
    >>> isinstance(can_fork(), bool)
    True
    """
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and len(os.sched_getaffinity(0)) > 1 and not multiprocessing.current_process().daemon)


class Background(Generic[T]):
    """Run ``work()`` in a forked child now; :meth:`result` waits for its value (or computes it here).

    Parameters
    ----------
    work : callable
        Takes no argument; its result must pickle.  It may run twice: in the
        child, and again in the caller if the child did not finish.

    Examples
    --------
    >>> job = Background(lambda: sum(range(10)))
    >>> job.result()
    45
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.process = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(work, sender), daemon=True)
            try:
                process.start()
                self.process = process
            except OSError:  # no process to spare: the work is done in the caller
                self.receiver.close()
            sender.close()

    def result(self) -> T:
        """The work's result: the child's, or computed here if there was no child or it failed."""
        if self.process is not None:
            try:
                done, value = self.receiver.recv()
            except (EOFError, OSError):  # the child died before sending (killed, out of memory)
                done, value = False, None
            self.cancel()
            if done:
                return value
        return self.work()

    def cancel(self) -> None:
        """Stop the child if it still runs (the caller failed and will not wait for it)."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.receiver.close()
            self.process = None


def _child(work: Callable[[], T], sender) -> None:
    try:
        outcome = (True, work())
    except BaseException:  # any failure: the caller runs the work again itself and reports it properly
        outcome = (False, None)
    sender.send(outcome)
    sender.close()
