"""Page bodies are Markdown written by staff, rendered without any HTML of their own.

markdown-it-py with html disabled escapes every tag; its link validation refuses javascript:, vbscript:,
file: and data: links. Headings move one level down, because the page title is the only h1.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _heading_one_level_down(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return str(self.renderToken(tokens, idx, options, env))


_md.add_render_rule("heading_open", _heading_one_level_down)
_md.add_render_rule("heading_close", _heading_one_level_down)


def render_markdown(text: str) -> str:
    """Safe HTML for a page body (mark it safe in the template only through this function)."""
    return str(_md.render(text))
