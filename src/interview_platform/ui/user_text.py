"""What people typed, as Streamlit's Markdown should draw it.

Streamlit never renders HTML from `st.markdown` unless asked, and drops `javascript:` links.
It does fetch Markdown images and typesets `$...$` as LaTeX: a candidate's
`![x](http://host/pixel.png)` would make every page that shows the answer request that URL,
and "between $5 and $10" came out as italic math. Candidates keep their formatting (bold,
lists, code); images are shown as their text and dollars as dollars.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

# Streamlit's Markdown (remark) reads raw HTML, then drops it; read it both ways, to be sure.
PARSERS = (
    MarkdownIt("commonmark", {"html": True}).enable("table"),
    MarkdownIt("commonmark", {"html": False}).enable("table"),
)
FOOTNOTE = "[^"  # GitHub's footnotes, which these parsers do not read, may hold an image
FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
# Characters Markdown, Streamlit's directives (`:red[...]`, `:material/...:`) or LaTeX read.
SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:~$])")


def user_markdown(text: str) -> str:
    """`text`, written by a candidate or read from their resume, with its Markdown formatting
    kept but no image fetched and no LaTeX typeset; code is left as written, unless what looks
    like code is none to a Markdown parser (an escaped backtick, a fence that does not close,
    a code span opened on the line before...): then every `![` is escaped, code or not."""
    drawn = _inert_outside_apparent_code(text)
    if "![" in drawn and (FOOTNOTE in drawn or _has_image(drawn)):
        return drawn.replace("![", "!\\[")
    return drawn


def _has_image(markdown: str) -> bool:
    """Whether a CommonMark parser, reading raw HTML as HTML or as text, finds an image."""
    return any(
        child.type == "image"
        for parser in PARSERS
        for token in parser.parse(markdown)
        for child in token.children or []
    )


def _inert_outside_apparent_code(text: str) -> str:
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
