"""Work done on the second core while the caller goes on: a forked process, or the caller itself where it cannot be.

:class:`Background` forks a child process at once; the child runs
``prepare()`` (imports, say) while the caller computes what the work needs,
then :meth:`Background.start` sends the arguments through a pipe and the
child runs ``work(*args)`` while the caller goes on; :meth:`Background.result`
waits for the value.  Where a child cannot be forked (not Linux, one CPU,
inside a daemonic worker) or the child fails for any reason, ``result()`` runs
``prepare()`` and ``work(*args)`` in the caller instead: the result is the same
either way, only the time differs.  The work must be safe to run twice (write
files whole, to fixed names).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["WAIT_S", "Background", "can_fork"]

T = TypeVar("T")
WAIT_S = 600.0
"""How long :meth:`Background.result` waits for the child before doing the work itself (the 2017 report's
charts take a few seconds)."""


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
    """Fork a child that runs ``prepare()`` now and ``work(*args)`` once :meth:`start` sends the ``args``.

    Parameters
    ----------
    work : callable
        Its arguments and result must pickle.  It may run twice: in the child,
        and again in the caller if the child did not finish.
    prepare : callable, optional
        Run first, with no argument (its result is not used).

    Examples
    --------
    >>> job = Background(sum)
    >>> job.start(range(10))
    >>> job.result()
    45
    """

    def __init__(self, work: Callable[..., T], prepare: Callable[[], object] | None = None) -> None:
        self.work, self.prepare, self.args = work, prepare, ()
        self.process = self.sender = self.receiver = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self.receiver, child_sender = context.Pipe(duplex=False)
            child_receiver, self.sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, daemon=True,
                                      args=(work, prepare, child_receiver, child_sender, (self.receiver, self.sender)))
            try:
                process.start()
                self.process = process
            except OSError:  # no process to spare: the work is done in the caller
                self.receiver.close()
                self.sender.close()
            child_sender.close()
            child_receiver.close()

    def start(self, *args) -> None:
        """Hand the child the work's arguments; it starts at once."""
        self.args = args
        if self.process is not None:
            try:
                self.sender.send(args)
            except Exception:  # the child is gone, or the arguments do not pickle: the work is done here later
                self.cancel()

    def result(self) -> T:
        """The work's result: the child's, or computed here if there was no child, it failed or it did not
        answer within :data:`WAIT_S` seconds."""
        if self.process is not None:
            try:  # a child that has not answered in WAIT_S seconds is taken for stuck: the work is done here
                done, value = self.receiver.recv() if self.receiver.poll(WAIT_S) else (False, None)
            except (EOFError, OSError):  # the child died before sending (killed, out of memory)
                done, value = False, None
            self.cancel()
            if done:
                return value
        if self.prepare is not None:
            self.prepare()
        return self.work(*self.args)

    def cancel(self) -> None:
        """Stop the child if it still runs (the caller failed and will not wait for it)."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.receiver.close()
            self.sender.close()
            self.process = None


def _child(work: Callable[..., T], prepare, receiver, sender, callers: tuple) -> None:
    for end in callers:  # the caller's ends: closed here, so that a caller gone leaves the child no one to wait for
        end.close()
    try:
        if prepare is not None:
            prepare()
        outcome = (True, work(*receiver.recv()))
    except BaseException:  # any failure: the caller runs the work again itself and reports it properly
        outcome = (False, None)
    sender.send(outcome)
    sender.close()
