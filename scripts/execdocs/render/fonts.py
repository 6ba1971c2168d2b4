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
                    filename = match.group(1)
                    css = SOURCE.sub(f"src: url({filename}) format('woff2');", block)
                    result.append((css, os.path.join(_fontsource(project_root), package, "files", filename)))
    expected = sum(len(w) for _, w in FAMILIES.values()) * 2 * len(SUBSETS)
    if len(result) != expected:
        raise FontError(f"found {len(result)} @font-face blocks, expected {expected}")
    return result


def stylesheet(project_root):
    """The site's font stylesheet: the kept @font-face blocks and Material's font variables."""
    blocks = [css for css, _ in faces(project_root)]
    families = ':root {\n  --md-text-font: "Roboto";\n  --md-code-font: "Roboto Mono";\n}\n'
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
