"""Draw Vega-Lite specs as SVG and PNG in helper processes, while the caller goes on.

Drawing takes vl-convert about 0.15 s a chart and holds its one JavaScript worker (and the
interpreter's lock), so a pack of 60 charts spends most of its time here. Helper processes let
the pages be built meanwhile, and two of them draw on both cores of a small machine. A helper is
a fresh interpreter running this module (``python -m``), reading one JSON line per job on stdin:
it imports nothing heavy and owes nothing to the caller's ``__main__``.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

import vl_convert

PNG_SCALE = 2  # sharp when pasted into a paper
# Two helpers: one per core of the machine this runs on; more would only queue for the cores.
HELPERS = max(1, min(2, os.cpu_count() or 1))
# What a job costs, in charts' worth of drawing, to share the jobs out evenly: building the
# JavaScript bundle takes as long as drawing about a dozen charts.
CHART_COST, BUNDLE_COST = 1, 12


def draw(spec: dict[str, object], svg_path: Path, png_path: Path) -> None:
    svg = vl_convert.vegalite_to_svg(spec)
    svg_path.write_text(svg, encoding="utf-8")
    png_path.write_bytes(vl_convert.svg_to_png(svg, scale=PNG_SCALE))


def write_bundle(path: Path) -> None:
    """Vega, Vega-Lite and vega-embed as one classic script that sets window globals (built by
    vl-convert from the versions it draws with, so pages and images agree)."""
    path.write_text(vl_convert.javascript_bundle(None), encoding="utf-8")  # type: ignore[arg-type]


class ChartRenderer:
    """``with ChartRenderer() as r: r.submit(spec, svg, png)``; leaving the block waits for
    every job and raises if one could not be done."""

    def __init__(self, helpers: int = HELPERS) -> None:
        self._processes: list[subprocess.Popen[str]] = []
        self._errors: list[IO[bytes]] = []
        self._load = [0] * helpers
        for _ in range(helpers):
            # Kept open for the helper's life (closed in __exit__): a pipe could fill and block.
            errors = tempfile.TemporaryFile()  # noqa: SIM115
            self._errors.append(errors)
            self._processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "pipelines.lib.charts.render"],
                    stdin=subprocess.PIPE,
                    stderr=errors,
                    text=True,
                )
            )

    def _send(self, job: dict[str, object], cost: int) -> None:
        helper = self._load.index(min(self._load))
        self._load[helper] += cost
        stdin = self._processes[helper].stdin
        assert stdin is not None
        stdin.write(json.dumps(job) + "\n")
        stdin.flush()  # the helper starts at once, not when a buffer fills

    def submit(self, spec: dict[str, object], svg_path: Path, png_path: Path) -> None:
        self._send({"spec": spec, "svg": str(svg_path), "png": str(png_path)}, CHART_COST)

    def submit_bundle(self, path: Path) -> None:
        """Write the JavaScript bundle (:func:`write_bundle`) to ``path`` in a helper."""
        self._send({"bundle": str(path)}, BUNDLE_COST)

    def __enter__(self) -> "ChartRenderer":
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self._processes:
            assert process.stdin is not None
            with contextlib.suppress(BrokenPipeError):  # the helper already stopped: said below
                process.stdin.close()
            if exc[0] is not None:
                process.kill()
        messages = []
        for process, errors in zip(self._processes, self._errors, strict=True):
            code = process.wait()
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()
            errors.close()
            if code != 0:
                messages.append(message[-2000:])
        if exc[0] is None and messages:
            raise RuntimeError(f"charts could not be drawn: {' | '.join(messages)}")


def main() -> int:
    for line in sys.stdin:
        job = json.loads(line)
        if "bundle" in job:
            write_bundle(Path(job["bundle"]))
        else:
            draw(job["spec"], Path(job["svg"]), Path(job["png"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
