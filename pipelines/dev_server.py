"""`make dev`: start ``dagster dev`` so that SIGTERM stops it, however it was started.

A shell script that starts a command in the background (``make dev &``) makes it ignore SIGINT,
and ``dagster dev`` handles SIGTERM the way it handles SIGINT: started so, it ignored SIGTERM
too (make passes SIGTERM on to it and then waits for it), and only SIGKILL stopped it. An ignored
signal stays ignored across ``exec``, a default one does not, so both are given back their
default before ``dagster dev`` starts."""

import os
import signal
import sys
from pathlib import Path


def main() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    dagster = Path(sys.executable).with_name("dagster")
    os.execv(dagster, [str(dagster), "dev", *sys.argv[1:]])


if __name__ == "__main__":
    main()
