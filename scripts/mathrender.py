"""Server-side KaTeX: turns pymdownx.arithmatex's generic output into finished HTML.

One node process renders every formula of a build; rendered formulas are cached on disk by
formula and KaTeX version, so an unchanged page costs no rendering at all.
"""

import hashlib
import html
import json
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "scripts", "katex_render.js")
KATEX_DIST = os.path.join(ROOT, "node_modules", "katex", "dist")
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}


class MathError(Exception):
    """Formulas KaTeX cannot parse; the message names page, line and formula."""


def katex_version():
    with open(os.path.join(ROOT, "node_modules", "katex", "package.json"), encoding="utf-8") as fh:
        return json.load(fh)["version"]


class KatexRenderer:
    def __init__(self, cache_path):
        if not os.path.isdir(KATEX_DIST):
            raise MathError("KaTeX is not installed: run `npm ci` in the project root")
        self.version = katex_version()
        self.cache_path = cache_path
        self.cache = self._load_cache()
        self.dirty = False
        self.process = None

    def _load_cache(self):
        try:
            with open(self.cache_path, encoding="utf-8") as fh:
                data = json.load(fh)
            return data["formulas"] if data.get("katex") == self.version else {}
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            return {}

    def _start(self):
        self.process = subprocess.Popen(
            ["node", SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
        )
        json.loads(self.process.stdout.readline())  # the ready line

    def render(self, tex, display):
        """(html, None) or (None, error message)."""
        key = hashlib.sha256(f"{int(display)}{tex}".encode()).hexdigest()[:24]
        if key in self.cache:
            return self.cache[key], None
        if self.process is None:
            self._start()
        self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            return None, answer["error"]
        self.cache[key] = answer["html"]
        self.dirty = True
        return answer["html"], None

    def render_page(self, page_html, source, page_path):
        """page_html with every formula rendered; MathError listing every formula that fails."""
        errors = []

        def replace(match):
            tag, body = match.group(1), html.unescape(match.group(2)).strip()
            opening, closing = DELIMITERS[tag]
            tex = body
            if tex.startswith(opening) and tex.endswith(closing):
                tex = tex[len(opening) : -len(closing)]
            rendered, error = self.render(tex.strip(), tag == "div")
            if error:
                line = _line_of(tex, source)
                where = f"{page_path}:{line}" if line else page_path
                errors.append(f"{where}: KaTeX cannot render the formula: {tex.strip()}\n    {error}")
                return match.group(0)
            return rendered if tag == "span" else f'<div class="math-display">{rendered}</div>'

        result = ARITHMATEX.sub(replace, page_html)
        if errors:
            raise MathError("\n".join(errors))
        return result

    def close(self):
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process = None
        if self.dirty:
            os.makedirs(os.path.dirname(self.cache_path), exist_ok=True)
            # a private temporary name: two builds at once must not write into each other's file
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.cache_path), prefix=".katex-cache-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"katex": self.version, "formulas": self.cache}, fh)
            os.replace(tmp, self.cache_path)
            self.dirty = False


def _line_of(tex, source):
    """The line of the page source where the formula starts, if it is in the page itself."""
    first = tex.strip().splitlines()[0].strip() if tex.strip() else ""
    if not first:
        return None
    for number, line in enumerate(source.splitlines(), 1):
        if first in line:
            return number
    return None


def stylesheet():
    """KaTeX's CSS with only the woff2 fonts, which every current browser reads."""
    with open(os.path.join(KATEX_DIST, "katex.min.css"), encoding="utf-8") as fh:
        css = fh.read()
    return re.sub(
        r'src:url\((fonts/[^)]+\.woff2)\) format\("woff2"\)[^;}]*',
        r'src:url(\1) format("woff2")',
        css,
    )


def font_files():
    folder = os.path.join(KATEX_DIST, "fonts")
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".woff2"))
