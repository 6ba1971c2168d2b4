"""Each common mistake, planted in a copy of the project, stops `mkdocs build --strict` with its place.

The copy is built once first, so it has good outputs, a cache and a site; after each failed build
the test checks that nothing good was lost and nothing stale is left to look current.
"""

import contextlib
import json
import os
import re
import unicodedata

import pytest

from conftest import ROOT, copy_project, mkdocs_build, mkdocs_config

PAGE = "docs/vong-lap-huan-luyen.md"


@pytest.fixture(scope="module")
def project(tmp_path_factory, outputs):
    root = copy_project(str(tmp_path_factory.mktemp("planted") / "project"), warm=True)  # `outputs` filled the cache
    done = mkdocs_build(root, os.path.join(root, "site"))
    assert done.returncode == 0, done.stderr
    return root


@contextlib.contextmanager
def planted(project, relpath, change):
    """Replace a file's text by change(text) (or create it when change is a string) for the block."""
    path = os.path.join(project, relpath)
    original = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    text = change if isinstance(change, str) else change(original)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    try:
        yield text
    finally:
        if original is None:
            os.remove(path)
        else:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(original)


def failed_build(project):
    done = mkdocs_build(project, os.path.join(project, "site"))
    assert done.returncode != 0, done.stderr
    return done.stderr + done.stdout


def good_build(project):
    done = mkdocs_build(project, os.path.join(project, "site"))
    assert done.returncode == 0, done.stderr
    return done.stderr


def cache_keys(project, name):
    folder = os.path.join(project, "_build", "cache", name)
    return sorted(d for d in os.listdir(folder) if not d.startswith("."))


def assert_outputs_and_cache_survive(project):
    values = os.path.join(project, "_build", "out", "train_loop", "values.json")
    assert json.load(open(values, encoding="utf-8"))["steps"] == 80
    assert cache_keys(project, "train_loop")


def line_number(text, needle):
    return text.split("\n").index(needle) + 1


def prose_line(text):
    return next(t for t in text.split("\n") if t and not t.startswith(("#", "--8<--", "$")) and "ệ" in t)


def test_text_mistakes_in_a_page_stop_the_build_at_their_lines(project):
    def plant(text):
        prose = prose_line(text)
        mistakes = {
            "mojibake": prose.encode("utf-8").decode("cp1252", errors="ignore"),
            "nfd": unicodedata.normalize("NFD", prose),
            "zero-width": prose[:8] + "\u200b" + prose[8:],
            "fffd": prose[:8] + "\ufffd" + prose[9:],
            "script": "<script>document.title = 'x'</script>",
            "image": "![Đồ thị](https://example.org/do-thi.png)",
            "stylesheet": '<link rel="stylesheet" href="https://cdn.example.org/x.css">',
        }
        plant.lines = {}
        lines = text.split("\n")
        for kind, line in mistakes.items():
            lines += ["", line]
            plant.lines[kind] = len(lines)
        return "\n".join(lines)

    with planted(project, PAGE, plant) as text:
        stderr = failed_build(project)
    where = {kind: f"{PAGE}:{line}:" for kind, line in plant.lines.items()}
    original = prose_line(text)
    assert f"{where['mojibake']}1: mojibake" in stderr
    assert f"{where['nfd']}" in stderr and "not in Unicode NFC" in stderr
    assert f"{where['zero-width']}9: invisible character U+200B ZERO WIDTH SPACE" in stderr
    assert f"{where['fffd']}9: replacement character U+FFFD" in stderr
    assert f"{where['script']}1: raw <script> in a page" in stderr
    assert f"{where['image']}11: asset loaded from another host: https://example.org/do-thi.png" in stderr
    assert f"{where['stylesheet']}" in stderr and "https://cdn.example.org/x.css" in stderr
    assert "NFC" in stderr and repr(original) in stderr  # the NFC form is shown
    assert "so the site was not built" in stderr
    assert_outputs_and_cache_survive(project)
    assert not os.path.exists(os.path.join(project, "site", "index.html"))  # no stale site left
    good_build(project)


def test_mojibake_in_a_snippet_stops_the_build_before_it_runs(project):
    def plant(text):
        return text.replace("# 1. xoá gradient", "# 1. " + "xoá gradient".encode("utf-8").decode("cp1252"))

    with planted(project, "snippets/train_loop.py", plant) as text:
        stderr = failed_build(project)
    line = next(n for n, t in enumerate(text.split("\n"), 1) if "# 1. xo" in t)
    repaired = next(
        t for t in open(os.path.join(ROOT, "snippets", "train_loop.py"), encoding="utf-8") if "# 1. xo" in t
    )
    assert f"snippets/train_loop.py:{line}:1: mojibake" in stderr and "\n    " + repaired.rstrip("\n") in stderr
    assert "snippets:" not in stderr  # stopped before any snippet ran
    assert_outputs_and_cache_survive(project)


def test_broken_link_and_broken_anchor_stop_the_build(project):
    def plant(text):
        return text + "\nXem [trang không có](khong-co.md).\n\nXem [mục không có](index.md#khong-co-muc).\n"

    with planted(project, PAGE, plant) as text:
        stderr = failed_build(project)
    link = line_number(text, "Xem [trang không có](khong-co.md).")
    anchor = line_number(text, "Xem [mục không có](index.md#khong-co-muc).")
    assert f"{PAGE}:{link}: Doc file 'vong-lap-huan-luyen.md' contains a link 'khong-co.md'" in stderr
    assert f"{PAGE}:{anchor}: Doc file 'vong-lap-huan-luyen.md' contains a link 'index.md#khong-co-muc'" in stderr
    assert "does not contain an anchor '#khong-co-muc'" in stderr
    assert "Aborted with 2 warnings in strict mode" in stderr
    assert_outputs_and_cache_survive(project)


def test_missing_include_and_missing_section_stop_the_build(project):
    def plant(text):
        return text + '\n--8<-- "out/train_loop/khong-co.md"\n\n--8<-- "snippets/train_loop.py:khong_co"\n'

    with planted(project, PAGE, plant) as text:
        stderr = failed_build(project)
    missing = line_number(text, '--8<-- "out/train_loop/khong-co.md"')
    section = line_number(text, '--8<-- "snippets/train_loop.py:khong_co"')
    assert f"{PAGE}:{missing}: included file not found: out/train_loop/khong-co.md" in stderr
    assert f"{PAGE}:{section}: included section 'khong_co' not found in snippets/train_loop.py" in stderr
    assert_outputs_and_cache_survive(project)


@pytest.mark.parametrize(
    "include,error",
    [
        ('--8<-- "out/train_loop/khong-co.md"', "Snippet at path 'out/train_loop/khong-co.md' could not be found"),
        ('--8<-- "snippets/train_loop.py:khong_co"', "Snippet section 'khong_co' could not be located"),
    ],
)
def test_pymdownx_itself_rejects_a_missing_include(project, include, error, monkeypatch):
    """The site's pymdownx.snippets settings (check_paths: true) are the second line of defence."""
    import markdown
    from pymdownx.snippets import SnippetMissingError

    extensions = mkdocs_config(project)["markdown_extensions"]
    options = next(e["pymdownx.snippets"] for e in extensions if isinstance(e, dict) and "pymdownx.snippets" in e)
    assert options["check_paths"] is True
    monkeypatch.chdir(project)  # base_path is relative to where mkdocs runs
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": options})
    assert "Kết quả" in md.convert('--8<-- "out/train_loop/loop.md"')
    with pytest.raises(SnippetMissingError, match=re.escape(error)):
        md.convert(include)


def test_a_snippet_no_page_uses_is_reported(project):
    lonely = "import sitekit\n\n# %% only\nsitekit.report('one', 1)\n"
    with planted(project, "snippets/lonely_example.py", lonely):
        stderr = failed_build(project)
    assert "snippets/lonely_example.py:1: no page uses this snippet" in stderr
    assert "Aborted with 1 warnings in strict mode" in stderr
    with planted(project, "snippets/lonely_example.py", "# sitekit: page=none\n" + lonely):
        good_build(project)


@pytest.mark.parametrize(
    "code,where",
    [
        ("import sitekit\n\n# %% calc\nx = (1 +\n", "snippets/extra_demo.py:4: SyntaxError"),
        (
            "import sitekit\n\n# %% calc\nloss = float('nan')\nsitekit.report('loss', loss)\n",
            "snippets/extra_demo.py:5: ValueError: reported value 'loss' is nan",
        ),
        (
            "import sitekit\n\n# %% calc\nwith sitekit.expect(ZeroDivisionError):\n    int('mười')\n",
            "snippets/extra_demo.py:5: ValueError: invalid literal for int()",
        ),
        (
            "import sitekit\n\n# %% calc\nwith sitekit.expect(ZeroDivisionError):\n    1 / 1\n",
            "snippets/extra_demo.py:4: AssertionError: expected ZeroDivisionError, but nothing was raised",
        ),
    ],
    ids=["syntax", "nan", "expect-other-error", "expect-no-error"],
)
def test_snippet_errors_stop_the_build_with_file_and_line(project, code, where):
    page = lambda text: text + '\n--8<-- "out/extra_demo/calc.md"\n'  # noqa: E731
    with planted(project, PAGE, page), planted(project, "snippets/extra_demo.py", code):
        stderr = failed_build(project)
    assert where in stderr
    assert not os.path.exists(os.path.join(project, "_build", "out", "extra_demo"))
    assert_outputs_and_cache_survive(project)


def test_a_failed_snippet_keeps_the_others_and_its_last_good_run(project):
    extra = "import sitekit\n\n# %% calc\nsitekit.report('two', 2)\nprint('hai')\n"
    page = lambda text: text + '\nHai: {{ extra_demo.two }}\n\n--8<-- "out/extra_demo/calc.md"\n'  # noqa: E731
    with planted(project, PAGE, page), planted(project, "snippets/extra_demo.py", extra):
        good_build(project)
        good_keys = cache_keys(project, "train_loop")

        def broken(text):
            return text.replace("# %% result", "# %% result\nraise RuntimeError('planted failure')")

        with planted(project, "snippets/train_loop.py", broken):
            stderr = failed_build(project)
        assert "snippets/train_loop.py:" in stderr and "RuntimeError: planted failure" in stderr
        out = os.path.join(project, "_build", "out")
        assert not os.path.exists(os.path.join(out, "train_loop"))  # no stale output
        assert json.load(open(os.path.join(out, "extra_demo", "values.json"))) == {"two": 2}
        assert cache_keys(project, "train_loop") == good_keys  # the failure was not stored
        assert not os.path.exists(os.path.join(project, "site", "index.html"))  # no stale site
        stderr = good_build(project)  # the good version is back: straight from the cache
    assert re.search(r"snippets: 0 ran, \d+ from cache, 0 failed", stderr)
    assert_outputs_and_cache_survive(project)


def test_assets_from_another_host_added_by_the_theme_or_config_stop_the_build(project):
    override = '{% extends "base.html" %}\n{% block scripts %}{{ super() }}<script src="https://cdn.example.org/x.js"></script>{% endblock %}\n'
    with planted(project, "overrides/main.html", override):
        stderr = failed_build(project)
    assert "docs/index.md: the built page loads https://cdn.example.org/x.js from another host" in stderr
    with planted(project, "mkdocs.yml", lambda t: t + "\nextra_javascript:\n  - https://cdn.example.org/y.js\n"):
        stderr = failed_build(project)
    assert "mkdocs.yml: extra_javascript loads https://cdn.example.org/y.js from another host" in stderr
    assert_outputs_and_cache_survive(project)


@pytest.mark.parametrize(
    "mistake, message",
    [
        ("Giá trị {{ train_loop.final_xx:.4f }} ở đây.", "snippet 'train_loop' reported no value 'final_xx'"),
        ("Công thức $a \\cdotf b$ ở đây.", "KaTeX cannot render the formula: a \\cdotf b"),
    ],
)
def test_errors_below_included_snippets_name_their_own_line(project, mistake, message):
    """Each page gets a notebook link line above its first include of each snippet; the messages
    still give the line of the page as it is in the file (the mistake sits below two snippets)."""
    with planted(project, PAGE, lambda text: text + "\n" + mistake + "\n") as text:
        stderr = failed_build(project)
    line = text.splitlines().index(mistake) + 1
    assert f"{PAGE}:{line}: " in stderr and message in stderr, stderr


def test_a_page_saved_as_windows_1252_is_named_not_a_traceback(project):
    """A page saved in real Windows-1252 bytes is reported by file and line, with the fix, before
    anything reads it as UTF-8 (the notebooks' page scan at configuration time used to crash)."""
    path = os.path.join(project, PAGE)
    with open(path, encoding="utf-8") as fh:
        original = fh.read()
    lines = original.split("\n")
    bad = next(n for n, line in enumerate(lines) if not line.isascii())
    try:
        with open(path, "wb") as fh:
            fh.write(original.encode("cp1252", errors="replace"))
        stderr = failed_build(project)
    finally:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(original)
    assert f"{PAGE}:{bad + 1}:" in stderr and "not valid UTF-8" in stderr and "Windows-1252" in stderr, stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    "markup",
    [
        ';--8<-- "out/train_loop/setup.md"',
        'Xem --8<-- "out/train_loop/setup.md" ở trên.',
        "Giá trị \\{{ train_loop.final_x }}.",
    ],
)
def test_markup_published_as_text_stops_the_build_at_its_line(project, markup):
    """An include or a placeholder that reaches the reader as text (escaped, or not on a line of its
    own) stops the build at its line, and no page of that build is left to be published."""
    with planted(project, PAGE, lambda text: text + "\n" + markup + "\n") as text:
        stderr = failed_build(project)
    line = text.splitlines().index(markup) + 1
    assert f"{PAGE}:{line}: the page shows" in stderr, stderr
    assert not os.path.exists(os.path.join(project, "site", "vong-lap-huan-luyen", "index.html"))


def test_a_misspelled_link_or_anchor_gets_the_nearest_one_suggested(project):
    def plant(text):
        return text + "\nXem [gradient](gradiant.md).\n\nXem [mục](gradient.md#ba-cach-tinh-cung-mot-gradien).\n"

    with planted(project, PAGE, plant):
        stderr = failed_build(project)
    assert "contains a link 'gradiant.md'" in stderr and "Did you mean 'gradient.md'?" in stderr, stderr
    assert "Did you mean '#ba-cach-tinh-cung-mot-gradient'?" in stderr, stderr
