"""The lighter markup of formulas and code looks exactly as before, in chromium (issue 18).

The site writes formulas and highlighted code with fewer elements than KaTeX and Pygments do
(execdocs/render/mathmarkup.py, execdocs/render/highlight.py); these tests lay out both forms
side by side in a real page of the site and compare where every symbol lands and how it is drawn.
"""

import json

import pytest

import browserkit
from conftest import ROOT
from execdocs.render import mathmarkup
from execdocs.render.highlight import PLAIN_TOKENS
from execdocs.render.math import KatexRenderer

FORMULAS = [
    (r"z = w \cdot x + b, \qquad a = f(z).", True),
    (r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a} \cdot f'(z) \cdot x", True),
    (r"\theta_{t+1} = \theta_t - \eta \, \nabla_\theta L(\theta_t)", False),
    (r"\sigma(z) = \frac{1}{1 + e^{-z}}, \quad \sigma'(z) = \sigma(z)\,(1 - \sigma(z))", True),
    (r"\left\lVert g \right\rVert_2 \le c, \; a \! b \in \{1, 2\}", False),
    (r"h_t = \tanh(W h_{t-1} + U x_t), \quad x^{(i)}_{j} \to \infty", True),
]

# every symbol's box relative to its formula's box, for the two forms put one under the other
SYMBOL_BOXES = """() => [...document.querySelectorAll('.light-markup-pair')].map(pair =>
    [...pair.querySelectorAll('.katex-html')].map(layout => {
        const origin = layout.getBoundingClientRect();
        const leaves = [...layout.querySelectorAll('span')].filter(s => s.children.length === 0 && s.textContent);
        return {width: origin.width, height: origin.height, symbols: leaves.map(s => {
            const r = s.getBoundingClientRect();
            return [s.textContent, r.left - origin.left, r.top - origin.top, r.width, r.height];
        })};
    }))"""


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    """[(KaTeX's own HTML, the site's HTML)] of FORMULAS."""
    folder = tmp_path_factory.mktemp("katex")
    original = mathmarkup.lighten
    mathmarkup.lighten = lambda h: h
    try:
        plain = KatexRenderer(ROOT, str(folder / "plain.json"))
        raw = [plain.render(tex, display)[0] for tex, display in FORMULAS]
        plain.close(save=False)
    finally:
        mathmarkup.lighten = original
    light = KatexRenderer(ROOT, str(folder / "light.json"))
    lightened = [light.render(tex, display)[0] for tex, display in FORMULAS]
    light.close(save=False)
    return list(zip(raw, lightened))


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_folded_spaces_put_every_symbol_where_katex_puts_it(browser, served, pairs, viewport):
    context, _ = browserkit.new_context(browser, viewport, "light")
    page = browserkit.open_page(context, served + "lan-truyen-nguoc/")  # KaTeX's stylesheet and fonts
    page.evaluate(
        """pairs => { document.querySelector('article').innerHTML = pairs.map(([a, b]) =>
            `<div class="light-markup-pair"><p>${a}</p><p>${b}</p></div>`).join(''); }""",
        pairs,
    )
    page.evaluate("document.fonts.ready.then(() => true)")
    found = page.evaluate(SYMBOL_BOXES)
    context.close()
    assert len(found) == len(FORMULAS)
    for (tex, _), (katex, site) in zip(FORMULAS, found):
        assert [s[0] for s in site["symbols"]] == [s[0] for s in katex["symbols"]], tex
        assert abs(site["width"] - katex["width"]) < 0.05 and abs(site["height"] - katex["height"]) < 0.05, tex
        for ours, theirs in zip(site["symbols"], katex["symbols"]):
            assert all(abs(a - b) < 0.05 for a, b in zip(ours[1:], theirs[1:])), (tex, ours, theirs)


@pytest.mark.parametrize("scheme", browserkit.SCHEMES)
def test_unwrapped_code_tokens_look_like_the_code_around_them(browser, served, scheme):
    """A token of PLAIN_TOKENS, wrapped as Pygments would, is drawn exactly like bare code text."""
    context, _ = browserkit.new_context(browser, "desktop", scheme)
    page = browserkit.open_page(context, served + "lan-truyen-nguoc/")
    styles = page.evaluate(
        """classes => {
            const code = document.querySelector('.highlight pre code');
            const props = ['color', 'background-color', 'font-weight', 'font-style', 'font-family',
                           'text-decoration-line', 'padding-left', 'margin-left', 'opacity'];
            const look = el => JSON.stringify(props.map(p => getComputedStyle(el).getPropertyValue(p)));
            const bare = document.createElement('span');  // what bare text in the code inherits
            code.prepend(bare);
            const result = {code: look(bare)};
            for (const name of classes) {
                const token = document.createElement('span');
                token.className = name;
                token.textContent = 'x';
                code.prepend(token);
                result[name] = look(token);
            }
            return result;
        }""",
        [*PLAIN_TOKENS, "p"],
    )
    context.close()
    for name in PLAIN_TOKENS:
        assert styles[name] == styles["code"], (name, json.loads(styles[name]), json.loads(styles["code"]))
    assert styles["p"] != styles["code"]  # the check sees a colour: punctuation is lighter than names
