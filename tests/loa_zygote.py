"""A fork server for the tests' `loa` processes: Python, the bot and its libraries imported once.

A `loa` run from the tests spends about a second importing numpy, scipy, the bot and the channel libraries
before it does anything; a test module runs dozens. This process imports them once and forks a child for each
run. The child is a process of its own, as `python -m bot.cli ARGS` is: the caller's standard input, output
and error (passed over a Unix socket), its environment, working folder and arguments; ``bot.cli.main()``
runs, and the child ends as the interpreter ends (non-daemon threads joined, atexit handlers run, exit code).

The tests do not run the child themselves: they run ``tests/loa_shim.py``, a stand-in of a few milliseconds
that hands its standard streams over, forwards the signals it gets to the child and ends with the child's exit
code, or killed by the same signal. A test that kills `loa` with SIGKILL or needs its pid runs the real
``python -m bot.cli`` (``tests.helpers.LOA``); ``TESTS_FRESH_LOA=1`` runs every `loa` that way.

    python -m tests.loa_zygote SOCKET     (prints "ready" when it takes requests)
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import runpy
import selectors
import signal
import socket
import struct
import sys
import threading

# What the commands import, at the start or on the way (imported here, a child does not import them again).
PRELOAD = (
    "bot.cli",
    "bot.serve",
    "bot.live",
    "bot.web",
    "bot.reports",
    "bot.review",
    "bot.inbox",
    "bot.store.copy",
    "bot.channels.console",
    "bot.channels.telegram",
    "bot.channels.zalo",
    "handlers.ask",
    "handlers.register",
    "scheduler.service",
    "scheduler.delivery",
    "bot.outbox",
    "docx",
    "pypdf",
    "openpyxl",
)


def recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the stand-in went away")
        data += chunk
    return data


def _request(conn: socket.socket) -> tuple[dict, list[int]]:
    """One run asked for: its three standard streams, then the length and pickle of args, cwd and env."""
    _msg, fds, _flags, _addr = socket.recv_fds(conn, 1, 3)
    (size,) = struct.unpack("!I", recv_exact(conn, 4))
    return pickle.loads(recv_exact(conn, size)), fds


def serve(path: str) -> tuple[dict, list[int]] | None:
    """Take requests until stopped; in a forked child, return what that child is to run."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that the wakeup fd hears of it
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(wake_r, selectors.EVENT_READ, "child")
    children: dict[int, socket.socket] = {}
    assert threading.active_count() == 1, "the fork server must fork from one thread"
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            if key.data == "accept":
                conn, _ = listener.accept()
                conn.settimeout(30)
                try:
                    request, fds = _request(conn)
                except (OSError, ConnectionError, pickle.UnpicklingError):
                    conn.close()
                    continue
                pid = os.fork()
                if pid == 0:  # the child: nothing of the server's is left open in it
                    signal.set_wakeup_fd(-1)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    sel.close()
                    listener.close()
                    os.close(wake_r)
                    os.close(wake_w)
                    for other in children.values():
                        other.close()
                    conn.close()
                    return request, fds
                for fd in fds:
                    os.close(fd)
                try:
                    conn.sendall(struct.pack("!i", pid))
                except OSError:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                children[pid] = conn
                sel.register(conn, selectors.EVENT_READ, pid)
            elif key.data == "child":
                with contextlib.suppress(BlockingIOError):
                    while os.read(wake_r, 512):
                        pass
                while True:
                    try:
                        pid, status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    conn = children.pop(pid, None)
                    if conn is None:
                        continue
                    with contextlib.suppress(KeyError, ValueError):
                        sel.unregister(conn)
                    with contextlib.suppress(OSError):
                        conn.sendall(struct.pack("!i", os.waitstatus_to_exitcode(status)))
                    conn.close()
            else:  # the stand-in's end: it never writes, so this is its going (killed): the child goes too
                pid = key.data
                sel.unregister(key.fileobj)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def become_loa(request: dict, fds: list[int]) -> None:
    """In the child: take the caller's streams, environment, folder and arguments, and run `loa`."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.chdir(request["cwd"])
    os.environb.clear()
    os.environb.update(request["env"])
    sys.argv = ["-m", *request["args"]]
    sys.path[0] = os.getcwd()  # `python -m` puts the working folder first
    # As `python -m bot.cli` runs it: bot/cli.py as __main__ (what multiprocessing's fork server, which reads
    # documents, imports again in its children), ending in ``sys.exit(main())``. Its imports are done; the
    # module itself is not in sys.modules, as in a fresh `python -m bot.cli`.
    sys.modules.pop("bot.cli", None)
    runpy.run_module("bot.cli", run_name="__main__", alter_sys=True)


def main() -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    # What was imported is never garbage: the collector of a child leaves it alone, and the child's ending
    # does not write to every page of memory it shares with this process (0.6 s of CPU a run otherwise).
    gc.freeze()
    job = serve(sys.argv[1])
    if job is not None:
        become_loa(*job)


if __name__ == "__main__":
    main()
