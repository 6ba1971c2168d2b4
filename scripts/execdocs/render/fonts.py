"""Self-hosted text and code fonts, so that no page asks another host for anything.

The @fontsource npm packages ship one @font-face block per subset, weight and style. The site
keeps the latin, latin-ext and vietnamese blocks (with their unicode-range, so a browser fetches
only the files a page needs) and only the woff2 files, which every current browser reads. Material
takes the families from its --md-text-font / --md-code-font variables.
"""

import os
import re

SUBSETS = ("latin", "latin-ext", "vietnamese")
# (npm package, weights): the weights Material asks Google Fonts for, normal and italic.
FAMILIES = {"Roboto": ("roboto", (300, 400, 700)), "Roboto Mono": ("roboto-mono", (400, 700))}
STYLESHEET = "assets/fonts/fonts.css"
# Until Roboto's files arrive the browser draws the text in a local font: with a plain
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
# Fontsource's "swap" puts each file (one subset of one weight) in use whenever it arrives, and any
# change of font under a line can wrap it anew and move the page below it: with the Latin file of
# the body text later than its Vietnamese twin, a paragraph of gradient/ went from 9 lines to 10
# (CLS 0.22 on slow 4G, 4x CPU). "optional": a file that is not there within its short block period
# (about 100 ms from first use) is not used on this page view, and is in the cache for the next;
# a cached or preloaded file that is there in time is used from the first frame. (A busy main thread
# can stretch that period: a file arriving within it is still swapped in.)
SWAP, OPTIONAL = "font-display: swap;", "font-display: optional;"
BLOCK = re.compile(r"/\* ([a-z0-9-]+) \*/\s*(@font-face\s*\{.*?\})", re.DOTALL)
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
            yield found[subset]


def faces(project_root):
    """[(css block, woff2 file name)] for every kept @font-face, woff2 source only."""
    result = []
    for package, weights in FAMILIES.values():
        for weight in weights:
            for style in ("normal", "italic"):
                for block in _blocks(project_root, package, weight, style):
                    match = SOURCE.search(block)
                    if not match or "unicode-range" not in block:
                        raise FontError(f"unexpected @font-face in @fontsource/{package}: {block}")
                    if SWAP not in block:
                        raise FontError(f"no '{SWAP}' in @font-face of @fontsource/{package}: {block}")
                    filename = match.group(1)
                    css = SOURCE.sub(f"src: url({filename}) format('woff2');", block).replace(SWAP, OPTIONAL)
                    result.append((css, os.path.join(_fontsource(project_root), package, "files", filename)))
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
    """The site's font stylesheet: the kept @font-face blocks, the fallback, Material's font variables."""
    blocks = [css for css, _ in faces(project_root)] + fallback_faces()
    families = ':root {\n  --md-text-font: "Roboto", "Roboto Fallback";\n  --md-code-font: "Roboto Mono";\n}\n'
    return "\n".join(blocks) + "\n" + families


def font_files(project_root):
    """(site path, file on disk) for every woff2 file the stylesheet names."""
    folder = os.path.dirname(STYLESHEET)
    return [(f"{folder}/{os.path.basename(path)}", path) for _, path in faces(project_root)]


def add_files(files, config, project_root):
    """Put the stylesheet and its fonts into a MkDocs build (called from on_files)."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, STYLESHEET, content=stylesheet(project_root)))
    for uri, path in font_files(project_root):
        files.append(File.generated(config, uri, abs_src_path=path))
