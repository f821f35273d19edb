"""The Content-Security-Policy blocks inline script, inline event handlers and style attributes.

A template that uses them would render a page that silently does not work; this test names it.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "templates").rglob("*.html"))

INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=[\"']application/(?:ld\+)?json)[^>]*>", re.IGNORECASE)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 5


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_template_has_no_inline_style_script_or_event_handler(template):
    text = template.read_text(encoding="utf-8")

    assert not INLINE_STYLE.search(text), f"{template}: style attribute (blocked by the CSP)"
    assert not INLINE_HANDLER.search(text), f"{template}: inline event handler (blocked by the CSP)"
    assert not INLINE_SCRIPT.search(text), f"{template}: inline <script> (blocked by the CSP)"
