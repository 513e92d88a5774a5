"""Messages a user reads: a value quoted in one is cut short (a cell may hold megabytes)."""

import re

# A value quoted in a message is shown up to this many characters.
QUOTED_CHARS = 80
_LONGER = f"{{{QUOTED_CHARS + 1},}}"  # a regex repeat: more than QUOTED_CHARS
_QUOTED = re.compile(f"'[^'\\n]{_LONGER}'|\"[^\"\\n]{_LONGER}\"")


def clip(line: str, width: int = 600) -> str:
    """``line`` with every quoted value longer than ``QUOTED_CHARS`` cut to that length, and the
    line itself to ``width``: a 10 MB cell is never printed whole."""

    def cut(match: re.Match[str]) -> str:
        text = match.group(0)
        return f"{text[: QUOTED_CHARS + 1]}...{text[0]} ({len(text) - 2:,} characters)"

    line = _QUOTED.sub(cut, line)
    return line if len(line) <= width else f"{line[:width]}... ({len(line):,} characters)"
