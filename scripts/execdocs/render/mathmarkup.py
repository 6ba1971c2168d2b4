"""KaTeX's HTML for one formula, with the elements that change nothing for the reader removed.

Long pages are slow to style and lay out on a phone mostly because of their element count
(issue 18), and formulas are a large part of it. KaTeX's output stays what it is, with two
rewrites that keep both what is seen and what a screen reader reads:
- the MathML (the accessible copy, visually hidden): `<semantics>`, the TeX `<annotation>` and a
  top `<mrow>` holding everything are three elements per formula that no reader meets; the
  `<math>` element reads the same without them (an `<math>` is an inferred `<mrow>`).
- the layout: a space KaTeX writes as an empty `<span class="mspace" style="margin-right:X">`
  next to a symbol of plain text (`=`, `+`, `,`) becomes a margin of that symbol's own span: the
  same advance on the same line, one element fewer (about one layout element in fifteen).
"""

import re

MARKUP = "mathml trimmed, spaces folded: 1"  # part of the store key: a change re-renders every formula

SEMANTICS = re.compile(
    r"<semantics>(.*)<annotation encoding=\"application/x-tex\">[^<]*</annotation></semantics>", re.DOTALL
)
MROW_TAG = re.compile(r"<mrow>|</mrow>")
# a symbol: one of KaTeX's atoms, of text only; no class of these changes the font size, so its em
# is the em of the space beside it
ATOM = r"m(?:rel|bin|punct|ord|open|close|op|inner)(?: [a-z0-9-]+)*"
SPACE = r'<span class="mspace" style="margin-right:(-?[0-9.]+em);"></span>'
# an empty space, then a symbol with no style of its own
SPACE_BEFORE = re.compile(SPACE + rf'<span class="({ATOM})">([^<]+)</span>')
# a symbol (it may carry a style without margin-right, e.g. the space folded before it), then a space
SPACE_AFTER = re.compile(rf'<span class="({ATOM})"(?: style="((?:(?!margin-right)[^"])*)")?>([^<]+)</span>' + SPACE)
RESIZING = re.compile(r"siz")  # sizing, fontsize-ensurer: a class that would change the em


def _without_top_mrow(body):
    """body without an <mrow> that holds all of it (and only then)."""
    if not (body.startswith("<mrow>") and body.endswith("</mrow>")):
        return body
    depth = 0
    for match in MROW_TAG.finditer(body):
        depth += 1 if match.group(0) == "<mrow>" else -1
        if depth == 0:
            return body[6:-7] if match.end() == len(body) else body
    return body


def _trim_mathml(katex_html):
    return SEMANTICS.sub(lambda m: _without_top_mrow(m.group(1)), katex_html, count=1)


def _space_before(match):
    margin, classes, text = match.groups()
    if RESIZING.search(classes):
        return match.group(0)
    return f'<span class="{classes}" style="margin-left:{margin};">{text}</span>'


def _space_after(match):
    classes, style, text, margin = match.groups()
    if RESIZING.search(classes):
        return match.group(0)
    style = (style or "") + f"margin-right:{margin};"
    return f'<span class="{classes}" style="{style}">{text}</span>'


def _fold_spaces(layout):
    # the space before a symbol first: it needs the symbol without a style
    return SPACE_AFTER.sub(_space_after, SPACE_BEFORE.sub(_space_before, layout))


def lighten(katex_html):
    """One formula's KaTeX HTML (htmlAndMathml output), lighter and the same to the reader."""
    start = katex_html.find('<span class="katex-html"')
    if start < 0:
        return _trim_mathml(katex_html)
    return _trim_mathml(katex_html[:start]) + _fold_spaces(katex_html[start:])
