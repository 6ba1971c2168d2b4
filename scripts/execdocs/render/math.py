"""Server-side KaTeX: turns pymdownx.arithmatex's generic output into finished HTML.

One node process (katex_render.js) renders every formula of a build that the store does not
already hold; rendered formulas are kept in the build's ResultStore under a key of the formula
and KaTeX's version, so an unchanged page costs no rendering at all. Every failure is a MathError
that says what to do: node missing, node crashing, node giving no answer within NODE_TIMEOUT.
"""

import html
import json
import os
import queue
import re
import signal
import subprocess
import threading

from execdocs.render import mathmarkup
from execdocs.store import ResultStore, content_key

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "katex_render.js")
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
NODE_TIMEOUT = 30  # seconds for node to start, or to answer one formula


class MathError(Exception):
    """Formulas KaTeX cannot parse, or KaTeX that cannot run; the message says where and why."""


def katex_dist(project_root):
    return os.path.join(project_root, "node_modules", "katex", "dist")


def katex_version(project_root):
    path = os.path.join(project_root, "node_modules", "katex", "package.json")
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)["version"]
    except (FileNotFoundError, ValueError, KeyError):
        raise MathError("KaTeX is not installed: run `npm ci` in the project root") from None


class KatexRenderer:
    def __init__(self, project_root, store_path, node="node", timeout=NODE_TIMEOUT):
        self.project_root = project_root
        self.version = katex_version(project_root)
        self.store = ResultStore(store_path)
        self.store.start_build()
        self.node = node
        self.timeout = timeout
        self.process = None
        self.answers = None

    def _start(self):
        try:
            self.process = subprocess.Popen(
                [self.node, SCRIPT],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                cwd=self.project_root,
                start_new_session=True,  # its own process group: a hang is killed with all it started
            )
        except OSError as error:  # not installed (FileNotFoundError), not executable, ...
            raise MathError(
                f"cannot run `{self.node}` to render formulas with KaTeX ({error.strerror or error}): "
                "install Node.js (with npm), then run `npm ci` in the project root"
            ) from None
        self.answers = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.answers), daemon=True).start()
        ready = self._answer("starting KaTeX")
        if "ready" not in ready:
            self._fail("KaTeX did not start", ready)

    @staticmethod
    def _read(process, answers):
        for line in process.stdout:
            answers.put(line)
        answers.put(None)  # node ended

    def _answer(self, what):
        """node's next answer as a dict; MathError if it ends, hangs or answers garbage."""
        try:
            line = self.answers.get(timeout=self.timeout)
        except queue.Empty:
            self._fail(f"node gave no answer within {self.timeout} s ({what})")
        if line is None:
            self._fail(f"node ended while {what}")
        try:
            answer = json.loads(line)
        except ValueError:
            self._fail(f"node answered something that is not KaTeX's reply while {what}: {line[:200]!r}")
        if not isinstance(answer, dict):
            self._fail(f"node answered {answer!r} while {what}")
        return answer

    def _fail(self, message, detail=None):
        stderr = ""
        if self.process is not None:
            _kill_group(self.process)
            try:
                stderr = self.process.communicate(timeout=5)[1] or ""
            except (subprocess.TimeoutExpired, ValueError, OSError):
                stderr = ""
            self.process = None
        text = f"KaTeX (node {SCRIPT}): {message}"
        if detail:
            text += f": {detail}"
        if stderr.strip():
            text += "\n    " + "\n    ".join(stderr.strip().splitlines()[-10:])
        raise MathError(text)

    def render(self, tex, display):
        """(html, None) or (None, KaTeX's error message)."""
        key = content_key(self.version, mathmarkup.MARKUP, int(display), tex)
        rendered = self.store.get(key)
        if rendered is None:
            if self.process is None:
                self._start()
            try:
                self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
                self.process.stdin.flush()
            except (BrokenPipeError, OSError):
                self._fail("node stopped reading formulas")
            answer = self._answer(f"rendering {tex[:60]!r}")
            if "error" in answer:
                return None, answer["error"]
            rendered = mathmarkup.lighten(answer["html"])
        self.store.keep(key, rendered)
        return rendered, None

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
                line = _error_line(tex, source, error)
                where = f"{page_path}:{line}" if line else page_path
                hint = _hint(error)
                errors.append(
                    f"{where}: KaTeX cannot render the formula: {tex.strip()}\n    {error}"
                    + (f"\n    {hint}" if hint else "")
                )
                return match.group(0)
            return rendered if tag == "span" else f'<div class="math-display">{rendered}</div>'

        result = ARITHMATEX.sub(replace, page_html)
        if errors:
            raise MathError("\n".join(errors))
        return result

    def close(self, save=True):
        """Stop node; with save, keep exactly the formulas this build used."""
        if self.process is not None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                _kill_group(self.process)
                self.process.wait()
            self.process = None
        if save:
            self.store.save()


def _kill_group(process):
    """SIGKILL node and anything it started (a wrapper script's children hold its pipes open)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def _line_of(tex, source):
    """The line of the page source where the formula starts, if it is in the page itself."""
    first = tex.strip().splitlines()[0].strip() if tex.strip() else ""
    if not first:
        return None
    for number, line in enumerate(source.splitlines(), 1):
        if first in line:
            return number
    return None


POSITION = re.compile(r"at position (\d+)")
UNDEFINED = re.compile(r"Undefined control sequence: \\([A-Za-z]+)")
# Commands a formula on this site commonly uses: an undefined `\cdotf` is one of them with the next
# letter glued to it.
COMMON_COMMANDS = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "eta",
    "theta",
    "lambda",
    "mu",
    "sigma",
    "tau",
    "cdot",
    "times",
    "frac",
    "partial",
    "nabla",
    "sum",
    "prod",
    "sqrt",
    "log",
    "exp",
    "tanh",
    "max",
    "min",
    "mathbf",
    "mathrm",
    "mathbb",
    "mathcal",
    "hat",
    "bar",
    "tilde",
    "top",
    "left",
    "right",
    "le",
    "ge",
    "approx",
    "quad",
    "text",
    "in",
    "to",
    "lVert",
    "rVert",
    "lvert",
    "rvert",
    "odot",
    "otimes",
    "ldots",
    "dots",
}


def _error_line(tex, source, error):
    """The page line of KaTeX's error: the formula's first line, plus the lines before the error's
    position inside a multi-line display formula."""
    start = _line_of(tex, source)
    position = POSITION.search(error)
    if start is None or position is None:
        return start
    return start + tex.strip()[: int(position.group(1)) - 1].count("\n")


def _hint(error):
    """A likely fix for an undefined command: a glued letter, or a function name."""
    undefined = UNDEFINED.search(error)
    if not undefined:
        return ""
    name = undefined.group(1)
    for cut in range(len(name) - 1, 0, -1):
        head, tail = name[:cut], name[cut:]
        if head in COMMON_COMMANDS and len(tail) <= 2:
            return f"hint: a letter glued to a command? write `\\{head} {tail}` (with a space)"
    return f"hint: for a function name, write `\\operatorname{{{name}}}` (KaTeX has no `\\{name}`)"


def stylesheet(project_root):
    """KaTeX's CSS with only the woff2 fonts, which every current browser reads."""
    with open(os.path.join(katex_dist(project_root), "katex.min.css"), encoding="utf-8") as fh:
        css = fh.read()
    return re.sub(
        r'src:url\((fonts/[^)]+\.woff2)\) format\("woff2"\)[^;}]*',
        r'src:url(\1) format("woff2")',
        css,
    )


def font_files(project_root):
    folder = os.path.join(katex_dist(project_root), "fonts")
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".woff2"))
