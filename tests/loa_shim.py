"""The stand-in a test runs for `loa ARGS`; the run itself is a child of the fork server tests/loa_zygote.py.

    python -I -S tests/loa_shim.py SOCKET ARGS...

It hands its standard input, output and error, environment and working folder to the server, forwards the
signals a test sends (SIGTERM, SIGINT, ...) to the child, and ends as the child ended: with its exit code, or
killed by the same signal. Standard library only, so that it starts in milliseconds.
"""

import contextlib
import os
import pickle
import signal
import socket
import struct
import sys

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError
        data += chunk
    return data


def main() -> int:
    path, args = sys.argv[1], sys.argv[2:]
    child = [0]
    pending: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        if child[0]:
            with contextlib.suppress(ProcessLookupError):  # it has just ended
                os.kill(child[0], signum)
        else:
            pending.append(signum)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    payload = pickle.dumps({"args": args, "cwd": os.getcwd(), "env": dict(os.environb)})
    socket.send_fds(conn, [b"r"], [0, 1, 2])
    conn.sendall(struct.pack("!I", len(payload)) + payload)
    try:
        (child[0],) = struct.unpack("!i", recv_exact(conn, 4))
        for signum in pending:
            os.kill(child[0], signum)
        (code,) = struct.unpack("!i", recv_exact(conn, 4))
    except ConnectionError:
        sys.stderr.write("loa_shim: the fork server went away\n")
        return 70
    if code < 0:  # killed by a signal: so is the stand-in
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


if __name__ == "__main__":
    sys.exit(main())
