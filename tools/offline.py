"""Run a Python module with every network connection refused.

    python -m tools.offline mkdocs build --strict -f mkdocs.yml

The tests build the site through this wrapper, so a plugin or theme feature that reaches for the
network (fonts, social cards, a privacy plugin downloading assets) fails the build instead of
silently depending on internet access.
"""

from __future__ import annotations

import runpy
import socket
import sys


class NetworkBlocked(OSError):
    """Raised instead of opening any network connection."""


def _refuse(*args, **kwargs):
    raise NetworkBlocked(f"network access during an offline run: {args[:2]}")


def block_network() -> None:
    """Refuse DNS look-ups and connections (loopback included: a build needs none)."""
    socket.socket.connect = _refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
    socket.create_connection = _refuse  # type: ignore[assignment]
    socket.getaddrinfo = _refuse  # type: ignore[assignment]


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python -m tools.offline MODULE [ARGS...]")
    block_network()
    module, sys.argv = sys.argv[1], sys.argv[1:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
