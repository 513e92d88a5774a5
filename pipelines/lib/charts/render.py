"""Draw Vega-Lite specs as SVG and PNG in a helper process, while the caller goes on.

Drawing takes vl-convert about 0.1 s a chart and holds its one JavaScript worker, so a pack of
60 charts spends most of its time here; a separate process lets the pages be built meanwhile.
The helper is a fresh interpreter running this module (``python -m``), reading one JSON line per
chart on stdin: it imports nothing heavy and owes nothing to the caller's ``__main__``.
"""

import contextlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import vl_convert

PNG_SCALE = 2  # sharp when pasted into a paper


def draw(spec: dict[str, object], svg_path: Path, png_path: Path) -> None:
    svg = vl_convert.vegalite_to_svg(spec)
    svg_path.write_text(svg, encoding="utf-8")
    png_path.write_bytes(vl_convert.svg_to_png(svg, scale=PNG_SCALE))


class ChartRenderer:
    """``with ChartRenderer() as r: r.submit(spec, svg, png)``; leaving the block waits for
    every chart and raises if one could not be drawn."""

    def __init__(self) -> None:
        # Kept open for the helper's life (closed in __exit__): a pipe could fill and block it.
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.lib.charts.render"],
            stdin=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )

    def submit(self, spec: dict[str, object], svg_path: Path, png_path: Path) -> None:
        assert self._process.stdin is not None
        line = json.dumps({"spec": spec, "svg": str(svg_path), "png": str(png_path)})
        self._process.stdin.write(line + "\n")

    def __enter__(self) -> "ChartRenderer":
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the helper already stopped: said below
            self._process.stdin.close()
        if exc[0] is not None:
            self._process.kill()
        code = self._process.wait()
        self._errors.seek(0)
        message = self._errors.read().decode("utf-8", "replace").strip()
        self._errors.close()
        if exc[0] is None and code != 0:
            raise RuntimeError(f"charts could not be drawn: {message[-2000:]}")


def main() -> int:
    for line in sys.stdin:
        job = json.loads(line)
        draw(job["spec"], Path(job["svg"]), Path(job["png"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
