"""How a console command ends: its status, a reader that closed the pipe, and `extract`'s quick exit."""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import NoReturn


def exit_with(command: Callable[[], int], quick: bool = False) -> NoReturn:
    """Run a console command and exit with its status; a reader that closed the pipe early
    (`evaluate ... --json | head`) ends the run quietly with status 141, as SIGPIPE would.

    `quick` (`extract`, whose files are all closed and renamed into place when it returns): once
    the exit handlers have run, leave without the interpreter's teardown, which frees the loaded
    extractor object by object (0.05 s of every `extract` process; the OS frees it at once).
    Not while another thread that is no daemon runs: the normal exit waits for it."""
    try:
        status = command()
        gc.freeze()  # the collection at exit would walk every object the run loaded (0.3 s); the OS frees them
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at interpreter exit
        status = 128 + signal.SIGPIPE
    if quick and not any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        atexit._run_exitfuncs()  # what the normal exit runs (logging's flush among them)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
