"""What the built site hands a reader, read from its files: plots, fonts, search, other hosts."""

import json
import os
import re

from html.parser import HTMLParser

import pytest

from conftest import ROOT


from sitekit.style import LIGHT_TO_DARK

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
PLOT = re.compile(r"out/[^/]+/[^/#]+-(light|dark)\.svg#only-(light|dark)$")


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def _pages(site):
    for folder, _, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as fh:
                    yield os.path.relpath(path, site), fh.read()


def test_every_plot_has_a_vietnamese_alt_in_both_themes(site):
    plots = 0
    for page, html in _pages(site):
        parser = _Images()
        parser.feed(html)
        shown = {}
        for img in parser.images:
            match = PLOT.search(img.get("src", ""))
            if not match:
                continue
            plots += 1
            alt = (img.get("alt") or "").strip()
            assert alt and VIETNAMESE.search(alt), f"{page}: {img['src']} needs a Vietnamese alt text"
            assert match.group(1) == match.group(2), f"{page}: {img['src']} shown in the wrong theme"
            shown.setdefault(img["src"][: match.start(1)], set()).add(match.group(1))
        for plot, themes in shown.items():
            assert themes == {"light", "dark"}, f"{page}: {plot} lacks a variant: {themes}"
    assert plots > 0


def test_dark_plots_keep_no_light_palette_colour(site):
    light = re.compile("|".join(re.escape(c) for c in LIGHT_TO_DARK), re.I)
    dark_text = LIGHT_TO_DARK["#1f2328"]
    found = 0
    for folder, _, files in os.walk(os.path.join(site, "out")):
        for name in files:
            if name.endswith("-dark.svg"):
                found += 1
                with open(os.path.join(folder, name), encoding="utf-8") as fh:
                    svg = fh.read()
                assert not light.search(svg), f"{name} keeps a light-theme colour"
                assert dark_text in svg, f"{name} has no text or axes in the dark foreground colour"
    assert found > 0


def test_fonts_are_self_hosted_with_the_vietnamese_subset(site):
    with open(os.path.join(site, "assets", "fonts", "fonts.css"), encoding="utf-8") as fh:
        css = fh.read()
    faces = re.findall(r"@font-face\s*\{(.*?)\}", css, re.S)
    web = [face for face in faces if "url(" in face]
    assert web and all("unicode-range" in face for face in web)
    # a file that comes late is not swapped in under text already drawn (execdocs.render.fonts)
    assert all("font-display: optional" in face for face in web)
    # the stand-in while they load: local fonts only, scaled to Roboto's size, named after Roboto
    fallback = [face for face in faces if "url(" not in face]
    assert fallback and all('"Roboto Fallback"' in f and "local(" in f and "size-adjust" in f for f in fallback)
    urls = re.findall(r"url\(([^)]+)\)", css)
    assert urls and all(u.endswith(".woff2") and "/" not in u for u in urls)
    for url in urls:
        assert os.path.isfile(os.path.join(site, "assets", "fonts", url)), url
    for family in ("roboto", "roboto-mono"):
        for subset in ("latin", "latin-ext", "vietnamese"):
            assert f"{family}-{subset}-400-normal.woff2" in urls
    assert not re.search(r"cyrillic|greek|math|symbols", css)
    assert '--md-text-font: "Roboto", "Roboto Fallback"' in css and '--md-code-font: "Roboto Mono"' in css
    # overlapping faces are tried last-declared first: vietnamese after latin-ext, so that ă đ ơ ư
    # come from the vietnamese file and a Vietnamese page does not also fetch latin-ext
    for family in ("roboto", "roboto-mono"):
        for face in ("400-normal", "700-normal", "400-italic"):
            order = [urls.index(f"{family}-{subset}-{face}.woff2") for subset in ("latin-ext", "vietnamese", "latin")]
            assert order == sorted(order), (family, face)


# elements that make the browser fetch their URL (a canonical <link> or an <a> fetches nothing)
EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=["'](?:https?:)?//"""
    r"""|<link\b(?=[^>]*\brel=["'](?:stylesheet|preload|prefetch|preconnect|modulepreload|icon|manifest))"""
    r"""[^>]*\bhref=["'](?:https?:)?//""",
    re.I,
)


def test_no_page_loads_anything_from_another_host(site):
    for page, html in _pages(site):
        assert not EXTERNAL.search(html), f"{page}: {EXTERNAL.search(html).group(0)}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        assert 'data-md-component="source"' not in html, f"{page}: asks api.github.com for stars"


@pytest.fixture(scope="module")
def search_index(site):
    with open(os.path.join(site, "search", "search_index.json"), encoding="utf-8") as fh:
        return json.load(fh)


def test_search_index_holds_formulas_as_symbols_not_katex_internals(search_index):
    text = " ".join(d["text"] for d in search_index["docs"])
    assert "katex" not in text and "application/x-tex" not in text
    assert "\\frac" not in text and "\\eta" not in text  # no TeX source
    training = " ".join(d["text"] for d in search_index["docs"] if d["location"].startswith("vong-lap-huan-luyen/"))
    assert training.count("f(x)=3x2−2x+3") >= 1  # the formula as its symbols
    assert "f(x)=3x2−2x+3f(x)" not in training  # ... once, not once per KaTeX layer


def test_search_folds_vietnamese_in_the_browser_index(site):
    with open(os.path.join(site, "assets", "javascripts", "lunr", "min", "lunr.vi.min.js"), encoding="utf-8") as fh:
        script = fh.read()
    assert '"fold-vi"' in script and "lunr.vi =" in script


def test_searchable_text_keeps_prose_and_each_formula_once(tmp_path):
    from execdocs.render import search as sitesearch
    from execdocs.render.math import KatexRenderer

    renderer = KatexRenderer(ROOT, str(tmp_path / "katex.json"))
    page = renderer.render_page(
        '<p>Tỉ số <span class="arithmatex">\\(\\frac{\\partial L}{\\partial w}\\)</span> rồi</p>'
        '<div class="arithmatex">\\[x^2 < 1\\]</div>',
        "",
        "docs/t.md",
    )
    renderer.close()
    text = " ".join(re.sub(r"<[^>]+>", " ", sitesearch.searchable(page)).split())
    assert text == "Tỉ số ∂L∂w rồi x2&lt;1"


def test_heading_anchors_keep_d_and_drop_only_diacritics(site):
    from execdocs.render import slugs

    assert slugs.slugify("Bắt đầu từ đâu?", "-") == "bat-dau-tu-dau"
    assert slugs.slugify("Đạo hàm của các hàm kích hoạt", "-") == "dao-ham-cua-cac-ham-kich-hoat"
    with open(os.path.join(site, "lan-truyen-nguoc", "index.html"), encoding="utf-8") as fh:
        html = fh.read()
    assert 'id="dao-ham-cua-cac-ham-kich-hoat"' in html and 'id="ao-ham-cua-cac-ham-kich-hoat"' not in html


def test_every_figure_in_every_page_carries_the_size_of_its_svg(site):
    """No layout shift: every <img> of every page has width and height; a snippet figure's are in
    the SVG's own ratio."""
    from execdocs.render.figures import svg_size

    checked = 0
    for path, text in _pages(site):
        for tag in re.findall(r"<img\b[^>]*>", text):
            width, height = re.search(r'\bwidth="(\d+)"', tag), re.search(r'\bheight="(\d+)"', tag)
            assert width and height, f"{path}: {tag}"
            source = re.search(r'src="((?:\.\./)*out/[^"#]+)', tag)
            if not source:
                continue
            folder = os.path.dirname(os.path.join(site, path))
            real = svg_size(os.path.normpath(os.path.join(folder, source.group(1))))
            assert abs(int(width.group(1)) / int(height.group(1)) - real[0] / real[1]) < 0.01, f"{path}: {tag}"
            checked += 1
    assert checked > 100
