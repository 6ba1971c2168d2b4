"""Formulas and highlighted code are written with fewer elements (issue 18: a phone spends its
load time styling and laying out long pages), and the reader gets the same: the same symbols, the
same advances, the same accessible MathML, the same code text."""

import html
import re

import pytest

import domcount
from conftest import ROOT, read_page
from execdocs.render import mathmarkup
from execdocs.render.highlight import HighlightCache, lighten
from execdocs.render.math import KatexRenderer

# formulas of the lessons: inline and display, fractions, sub/superscripts, \left \right, \text
FORMULAS = [
    ("x", False),
    (r"z = w \cdot x + b, \qquad a = f(z).", True),
    (r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a} \cdot f'(z) \cdot x", True),
    (r"\theta_{t+1} = \theta_t - \eta \, \nabla_\theta L(\theta_t)", False),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}, \quad \sigma'(z) = \sigma(z)\,(1 - \sigma(z))", True),
    (r"\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", True),
    (r"\left\lVert g \right\rVert_2 \le c \text{ thì giữ nguyên}", False),
]


def _elements(fragment):
    return domcount.count_html(fragment)["total"]


def _text(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{(tex, display): (KaTeX's own HTML, the site's HTML)}"""
    folder = tmp_path_factory.mktemp("katex")
    plain = KatexRenderer(ROOT, str(folder / "katex.json"))
    raw = {}
    original = mathmarkup.lighten
    mathmarkup.lighten = lambda h: h  # KaTeX's output as it is
    try:
        for tex, display in FORMULAS:
            raw[tex, display] = plain.render(tex, display)[0]
    finally:
        mathmarkup.lighten = original
        plain.close(save=False)
    site = KatexRenderer(ROOT, str(folder / "light.json"))
    try:
        return {f: (raw[f], site.render(*f)[0]) for f in FORMULAS}
    finally:
        site.close(save=False)


def test_formula_mathml_is_plain_presentation_markup(rendered):
    """No <semantics>, no TeX <annotation>, no <mrow> around all of it; the same symbols in the same order."""
    for (tex, _), (raw, light) in rendered.items():
        math = re.search(r"<math\b.*?</math>", light, re.DOTALL).group(0)
        assert "<semantics>" not in math and "<annotation" not in math, tex
        assert not re.match(r"<math[^>]*><mrow>.*</mrow></math>$", math, re.DOTALL) or math.count("<mrow>") > 1, tex
        raw_math = re.search(r"<math\b.*?</math>", raw, re.DOTALL).group(0)
        raw_symbols = _text(re.sub(r"<annotation\b.*?</annotation>", "", raw_math))
        assert _text(math) == raw_symbols, tex


def test_formula_layout_keeps_every_symbol_and_style(rendered):
    """The visible layer: the same text, in spans of the same classes; only empty spaces go."""
    for (tex, _), (raw, light) in rendered.items():
        raw_layout, light_layout = (h[h.index('<span class="katex-html"') :] for h in (raw, light))
        assert _text(light_layout) == _text(raw_layout), tex
        symbols = [[c for c in re.findall(r'class="([^"]*)"', h) if c != "mspace"] for h in (raw_layout, light_layout)]
        assert symbols[0] == symbols[1], tex


def test_formulas_have_fewer_elements(rendered):
    """Measured on these formulas with KaTeX 0.19.1: 633 elements as KaTeX writes them, 578 now
    (three fewer per formula in the MathML, the rest in folded spaces)."""
    before = sum(_elements(raw) for raw, _ in rendered.values())
    after = sum(_elements(light) for _, light in rendered.values())
    assert after <= before - 3 * len(rendered) - 30, (before, after)
    # one letter: <math><mi>x</mi></math> and its layout, no wrapper the reader does not meet
    raw, single = rendered["x", False]
    assert (_elements(raw), _elements(single)) == (11, 8), single


def test_spaces_fold_into_plain_symbols_only():
    space = '<span class="mspace" style="margin-right:0.2778em;"></span>'
    assert mathmarkup.lighten(f'<span class="katex-html">{space}<span class="mrel">=</span>{space}</span>') == (
        '<span class="katex-html"><span class="mrel" style="margin-left:0.2778em;margin-right:0.2778em;">=</span></span>'
    )
    # a symbol that already has a right margin (italic correction), one whose class changes the
    # size (em), and a space beside a box of several spans stay as KaTeX wrote them
    kept = [
        f'<span class="katex-html"><span class="mord mathnormal" style="margin-right:0.044em;">z</span>{space}</span>',
        f'<span class="katex-html">{space}<span class="mord sizing reset-size6 size3">x</span></span>',
        f'<span class="katex-html">{space}<span class="mord"><span class="mord">x</span></span></span>',
    ]
    for fragment in kept:
        assert mathmarkup.lighten(fragment) == fragment


def test_an_mrow_that_is_not_the_whole_formula_stays():
    math = (
        '<span class="katex-mathml"><math><semantics><mrow><mi>a</mi></mrow><mo>+</mo><mrow><mi>b</mi></mrow>'
        '<annotation encoding="application/x-tex">{a}+{b}</annotation></semantics></math></span>'
    )
    assert mathmarkup.lighten(math) == (
        '<span class="katex-mathml"><math><mrow><mi>a</mi></mrow><mo>+</mo><mrow><mi>b</mi></mrow></math></span>'
    )


def test_highlighted_code_keeps_its_text_with_fewer_spans(tmp_path):
    import pygments
    import pygments.formatters
    import pygments.lexers

    code = (
        "for epoch in range(3):\n"
        "    loss = ((model(x) - y) ** 2).mean()  # MSE\n"
        '    print(f"{epoch}: {loss.item():.4f}")\n'
    )
    lexer, formatter = pygments.lexers.PythonLexer(), pygments.formatters.HtmlFormatter()
    raw = pygments.highlight(code, lexer, formatter)
    light = HighlightCache(str(tmp_path / "h.json")).highlight(pygments.highlight, code, lexer, formatter)
    assert light == lighten(raw)
    assert _text(light) == _text(raw)  # the same code
    assert not re.search(r'<span class="(n|w)">', light)
    assert '<span class="k">for</span> epoch <span class="ow">in</span>' in light  # coloured tokens stay
    names = len(re.findall(r'<span class="n">', raw))
    assert names == 9 and _elements(light) == _elements(raw) - names
    # the empty span before the code goes only where <code> follows (else a leading newline would be lost)
    assert lighten("<pre><span></span><code>\nx\n</code></pre>") == "<pre><code>\nx\n</code></pre>"
    assert lighten("<pre><span></span>\nx\n</pre>") == "<pre><span></span>\nx\n</pre>"


def test_built_pages_carry_the_light_markup(site):
    """No page has a name token span, a TeX annotation or a per-line anchor in its code."""
    for page in ("lan-truyen-nguoc/", "quy-tac-chuoi/", "phong-van/", "loi-thuong-gap/"):
        text = read_page(site, page)
        assert 'class="katex"' in text or "<code>" in text
        assert '<span class="n">' not in text, page
        assert "<annotation" not in text and "<semantics>" not in text, page
        assert "__codelineno" not in text, page
