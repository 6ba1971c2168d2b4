"""Self-hosted text and code fonts, so that no page asks another host for anything.

The @fontsource npm packages ship one @font-face block per subset, weight and style. The site
keeps the latin, latin-ext and vietnamese faces (with their unicode-range, so a browser fetches
only the files a page needs) and only the woff2 files, which every current browser reads. A script
(LOADER, from fontloader.js) puts them in use; the stylesheet holds the metric-matched fallback and
Material's --md-text-font / --md-code-font variables.
"""

import json
import os
import re
import typing

SUBSETS = ("latin", "latin-ext", "vietnamese")
# (npm package, weights): the weights Material asks Google Fonts for, normal and italic.
FAMILIES = {"Roboto": ("roboto", (300, 400, 700)), "Roboto Mono": ("roboto-mono", (400, 700))}
STYLESHEET = "assets/fonts/fonts.css"
# Until Roboto's files arrive the browser draws the text in a local font, then swaps: with a plain
# Arial the lines wrap elsewhere and every line moves (Lighthouse's layout shift, CLS ~0.15 on a
# long page). "Roboto Fallback" is the local Arial (Liberation Sans on Linux, its metric twin;
# Helvetica on Apple) scaled to Roboto's size: Roboto's line metrics (ascent 1900, descent 500, no
# line gap, 2048 units per em) and, per weight, Roboto's average advance over a page's Latin text
# divided by Arial's (300: 0.3977/0.4107, 400: 0.4055/0.4107, 700: 0.4127/0.4384).
# weight: (local font names, size-adjust %)
FALLBACK = {
    300: (("Arial", "ArialMT", "Liberation Sans", "LiberationSans", "Helvetica"), 96.84),
    400: (("Arial", "ArialMT", "Liberation Sans", "LiberationSans", "Helvetica"), 98.72),
    700: (("Arial Bold", "Arial-BoldMT", "Liberation Sans Bold", "LiberationSans-Bold", "Helvetica Bold"), 94.15),
}
ASCENT, DESCENT = 1900 / 2048, 500 / 2048
# The text faces are not in the stylesheet: a browser would swap in each file (a subset of one
# weight) as it arrives, and any change of font under a line can wrap it anew and move the page
# below it (a paragraph of gradient/ went from 10 lines to 9 and back, CLS 0.22 to 0.5 on slow 4G).
# LOADER fetches the Latin and Vietnamese files of the faces a page's text nearly always uses, and
# only when every one of them is here puts all the faces in use at once: one step from the
# metric-matched fallback to Roboto. The rest (latin-ext, other italics) load when a letter needs
# them. Without JavaScript the fallback stays.
LOADED_FIRST = {  # (family, weight, style): subsets fetched before any face is put in use
    ("Roboto", 300, "normal"): ("latin", "vietnamese"),  # headings
    ("Roboto", 400, "normal"): ("latin", "vietnamese"),  # body text (preloaded, overrides/main.html)
    ("Roboto", 400, "italic"): ("latin", "vietnamese"),  # emphasis
    ("Roboto", 700, "normal"): ("latin", "vietnamese"),  # bold
    ("Roboto Mono", 400, "normal"): ("latin", "vietnamese"),  # code
}
LOADER = "assets/fonts/fonts.js"
BLOCK = re.compile(r"/\* ([a-z0-9-]+) \*/\s*(@font-face\s*\{.*?\})", re.DOTALL)
UNICODE_RANGE = re.compile(r"unicode-range:([^;]+);")
SOURCE = re.compile(r"src:\s*url\(\./files/([^)]+\.woff2)\) format\('woff2'\)[^;]*;")


class FontError(Exception):
    """The font packages are missing or no longer look the way this module expects."""


def _fontsource(project_root):
    return os.path.join(project_root, "node_modules", "@fontsource")


def _blocks(project_root, package, weight, style):
    suffix = "" if style == "normal" else "-italic"
    path = os.path.join(_fontsource(project_root), package, f"{weight}{suffix}.css")
    if not os.path.isfile(path):
        raise FontError(f"{path} is missing: run `npm ci` in the project root")
    with open(path, encoding="utf-8") as fh:
        css = fh.read()
    found = {}
    for name, block in BLOCK.findall(css):
        subset = name[len(package) + 1 : -len(f"-{weight}-{style}")]
        if subset in SUBSETS:
            found[subset] = block
    # A browser checks overlapping faces last-declared first. Fontsource declares vietnamese
    # before latin-ext, whose range also holds ă đ ĩ ũ ơ ư, so every Vietnamese page fetched both
    # files; declared after it, the vietnamese subset serves those letters and latin-ext is
    # fetched only for the rarer letters that are in it alone.
    for subset in ("latin-ext", "vietnamese", "latin"):
        if subset in found:
            yield subset, found[subset]


class Face(typing.NamedTuple):
    family: str
    weight: int
    style: str
    subset: str
    css: str  # the @font-face block, its source the woff2 file beside the stylesheet
    path: str  # the woff2 file on disk

    @property
    def unicode_range(self):
        return UNICODE_RANGE.search(self.css).group(1).strip()


def faces(project_root):
    """[Face] for every kept @font-face, woff2 source only, in the order they are declared."""
    result = []
    for family, (package, weights) in FAMILIES.items():
        for weight in weights:
            for style in ("normal", "italic"):
                for subset, block in _blocks(project_root, package, weight, style):
                    match = SOURCE.search(block)
                    if not match or not UNICODE_RANGE.search(block):
                        raise FontError(f"unexpected @font-face in @fontsource/{package}: {block}")
                    filename = match.group(1)
                    css = SOURCE.sub(f"src: url({filename}) format('woff2');", block)
                    path = os.path.join(_fontsource(project_root), package, "files", filename)
                    result.append(Face(family, weight, style, subset, css, path))
    expected = sum(len(w) for _, w in FAMILIES.values()) * 2 * len(SUBSETS)
    if len(result) != expected:
        raise FontError(f"found {len(result)} @font-face blocks, expected {expected}")
    return result


def fallback_faces():
    """@font-face blocks of "Roboto Fallback", the metric-matched local stand-in (see FALLBACK)."""
    blocks = []
    for weight, (names, size) in FALLBACK.items():
        sources = ", ".join(f'local("{name}")' for name in names)
        blocks.append(
            "@font-face {\n"
            '  font-family: "Roboto Fallback";\n'
            f"  font-weight: {weight};\n"
            f"  src: {sources};\n"
            f"  size-adjust: {size:.2f}%;\n"
            f"  ascent-override: {ASCENT / size * 1e4:.2f}%;\n"
            f"  descent-override: {DESCENT / size * 1e4:.2f}%;\n"
            "  line-gap-override: 0%;\n"
            "}"
        )
    return blocks


def stylesheet(project_root):
    """The site's font stylesheet: the fallback and Material's font variables (the web fonts are
    put in use by LOADER)."""
    families = ':root {\n  --md-text-font: "Roboto", "Roboto Fallback";\n  --md-code-font: "Roboto Mono";\n}\n'
    return "\n".join(fallback_faces()) + "\n" + families


def loader(project_root):
    """The script that puts the web fonts in use (see LOADER), with every face in the order
    Fontsource's stylesheets would declare it (overlapping ranges: the last added wins, as in CSS)."""
    entries = []
    for face in faces(project_root):
        descriptors = {
            "weight": str(face.weight),
            "style": face.style,
            "unicodeRange": face.unicode_range,
            "display": "swap",
        }
        first = face.subset in LOADED_FIRST.get((face.family, face.weight, face.style), ())
        entries.append([face.family, os.path.basename(face.path), descriptors, first])
    if sum(first for *_, first in entries) != sum(len(subsets) for subsets in LOADED_FIRST.values()):
        raise FontError(f"not every face of {LOADED_FIRST} was found in @fontsource")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fontloader.js"), encoding="utf-8") as fh:
        return fh.read().replace("/*FACES*/", json.dumps(entries))


def font_files(project_root):
    """(site path, file on disk) for every woff2 file the stylesheet or the loader names."""
    folder = os.path.dirname(STYLESHEET)
    return [(f"{folder}/{os.path.basename(face.path)}", face.path) for face in faces(project_root)]


def add_files(files, config, project_root):
    """Put the stylesheet, the loader and the fonts into a MkDocs build (called from on_files)."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, STYLESHEET, content=stylesheet(project_root)))
    files.append(File.generated(config, LOADER, content=loader(project_root)))
    for uri, path in font_files(project_root):
        files.append(File.generated(config, uri, abs_src_path=path))
