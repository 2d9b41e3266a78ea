"""What people typed, as Streamlit's Markdown should draw it.

Streamlit never renders HTML from `st.markdown` unless asked, and drops `javascript:` links.
It does fetch Markdown images and typesets `$...$` as LaTeX: a candidate's
`![x](http://host/pixel.png)` would make every page that shows the answer request that URL,
and "between $5 and $10" came out as italic math. Candidates keep their formatting (bold,
lists, code); images are shown as their text and dollars as dollars.
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
# Characters Markdown, Streamlit's directives (`:red[...]`, `:material/...:`) or LaTeX read.
SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:~$])")


def user_markdown(text: str) -> str:
    """`text`, written by a candidate or read from their resume, with its Markdown formatting
    kept but no image fetched and no LaTeX typeset; code is left as written."""
    lines, in_fence = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
            lines.append(line)
        else:
            lines.append(line if in_fence else _inert_outside_code(line))
    return "\n".join(lines)


def literal(text: str) -> str:
    """`text` shown exactly as typed inside Markdown: every character Markdown, Streamlit's
    directives or LaTeX would read is escaped (for names and titles put into a sentence)."""
    return SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _inert_outside_code(line: str) -> str:
    parts, last = [], 0
    for code in INLINE_CODE.finditer(line):
        parts += [_inert(line[last : code.start()]), code.group(0)]
        last = code.end()
    parts.append(_inert(line[last:]))
    return "".join(parts)


def _inert(text: str) -> str:
    return text.replace("![", "!\\[").replace("$", "\\$")
