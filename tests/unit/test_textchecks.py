"""The text checks on their own: each mistake is found at its line, clean text passes.

Mistakes are made from the site's own Vietnamese text, the way they happen in real life
(UTF-8 read with the wrong code page and saved again, decomposed accents, pasted invisibles).
"""

import os
import subprocess
import sys
import unicodedata

import pytest

from conftest import ROOT, store_entries, stored_entries
from execdocs.check import cli as textcli
from execdocs.check import text as textchecks
from execdocs.check.text import check_file, check_text, default_files

PAGE = os.path.join(ROOT, "docs", "vong-lap-huan-luyen.md")


def site_lines(predicate=lambda line: True):
    """Vietnamese prose lines of the site's own pages."""
    with open(PAGE, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    return [t for t in lines if any(ord(c) > 127 for c in t) and not t.startswith("--8<--") and predicate(t)]


def cp1252_decodable(line):
    try:
        line.encode("utf-8").decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def page_with(line, before=3):
    """A small page whose line `before + 1` is the planted one."""
    return "# Tiêu đề\n\n" + "Một dòng bình thường.\n" * (before - 2) + line + "\nDòng cuối.\n"


def only(problems):
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_site_itself_passes_every_text_check():
    problems = [p for path in default_files(ROOT) for p in check_file(path, os.path.relpath(path, ROOT))]
    assert problems == []


@pytest.mark.parametrize("codec,named", [("cp1252", "Windows-1252"), ("latin-1", "Latin-1")])
def test_mojibake_is_found_and_the_repair_is_shown(codec, named):
    original = site_lines(cp1252_decodable)[0]
    broken = original.encode("utf-8").decode(codec)
    problem = only(check_text(page_with(broken), "docs/t.md", page=True))
    assert (problem.path, problem.line) == ("docs/t.md", 4)
    assert "mojibake" in problem.message and named in problem.message
    assert problem.message.endswith("\n    " + original)  # ftfy gives back exactly the original line, as typed


def test_mojibake_with_lost_bytes_is_still_found():
    """Bytes cp1252 cannot show (0x81, 0x8d, 0x8f, 0x90, 0x9d) are often dropped on the way."""
    lines = site_lines(lambda t: not cp1252_decodable(t))
    assert lines, "the site has Vietnamese lines with such bytes (ọ, Đ, ...)"
    broken = lines[0].encode("utf-8").decode("cp1252", errors="ignore")
    problem = only(check_text(page_with(broken), "docs/t.md", page=True))
    assert problem.line == 4 and "mojibake" in problem.message


def test_mojibake_twice_over_is_found():
    original = site_lines(cp1252_decodable)[0]
    once = original.encode("utf-8").decode("latin-1")
    twice = once.encode("utf-8").decode("latin-1")
    assert "mojibake" in only(check_text(page_with(twice), "docs/t.md")).message


def test_decomposed_vietnamese_is_not_nfc():
    original = site_lines()[0]
    decomposed = unicodedata.normalize("NFD", original)
    assert decomposed != original
    problem = only(check_text(page_with(decomposed), "docs/t.md", page=True))
    assert problem.line == 4 and "NFC" in problem.message
    first_mark = next(i for i, c in enumerate(decomposed) if unicodedata.combining(c))
    assert problem.column == first_mark + 1
    assert repr(original) in problem.message


@pytest.mark.parametrize(
    "char,name",
    [
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u200d", "ZERO WIDTH JOINER"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\u00ad", "SOFT HYPHEN"),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\x07", "U+0007"),
        ("\x1b", "U+001B"),
    ],
)
def test_invisible_and_control_characters(char, name):
    text = site_lines()[0]
    planted = text[:10] + char + text[10:]
    problem = only(check_text(page_with(planted), "docs/t.md", page=True))
    assert (problem.line, problem.column) == (4, 11)
    assert name in problem.message


def test_tabs_and_windows_line_ends_are_fine():
    assert check_text("# A\r\n\r\n```python\n\tx = 1\n```\r\n", "docs/t.md", page=True) == []


def test_replacement_character():
    text = site_lines()[0]
    planted = text[:5] + "\ufffd" + text[6:]
    problem = only(check_text(page_with(planted), "docs/t.md", page=True))
    assert (problem.line, problem.column) == (4, 6) and "U+FFFD" in problem.message


def test_invalid_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes("# Tiêu đề\n\nxin chào \xff\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    problem = only(check_file(str(path), "docs/bad.md"))
    assert (problem.line, problem.column) == (3, 10) and "UTF-8" in problem.message


@pytest.mark.parametrize(
    "line",
    [
        "<script>alert(1)</script>",
        '<SCRIPT type="module">import x from "./x.js"</SCRIPT>',
        'Văn bản <script src="a.js"></script>',
        '<script type="application/javascript">alert(1)</script>',
        '<script type="application/json-seq">{}</script>',
        '<script id="d">{"type": "application/json"}</script>',
    ],
)
def test_raw_script_in_a_page(line):
    problems = check_text(page_with(line), "docs/t.md", page=True)
    assert problems and all(p.line == 4 for p in problems)
    assert any("raw <script>" in p.message for p in problems)


@pytest.mark.parametrize(
    "line",
    [
        '<script type="application/json" id="steps">{"a": [1, 2]}</script>',
        "<script id='steps' type='application/json'>{}</script>",
        "<SCRIPT TYPE=application/json id=steps>{}</SCRIPT>",
    ],
)
def test_json_data_block_in_a_page_is_fine(line):
    assert check_text(page_with(line), "docs/t.md", page=True) == []


def test_script_shown_as_code_is_fine():
    text = '# T\n\nDùng `<script>` trong HTML.\n\n```html\n<script src="https://x.org/a.js"></script>\n```\n'
    assert check_text(text, "docs/t.md", page=True) == []


def test_script_only_matters_in_pages():
    assert check_text('print("<script>")\n', "snippets/x.py", page=False) == []


@pytest.mark.parametrize(
    "line,url",
    [
        ("![Hình](https://example.org/hinh.png)", "https://example.org/hinh.png"),
        ('<img src="http://example.org/a.svg" alt="a">', "http://example.org/a.svg"),
        ('<link rel="stylesheet" href="//cdn.example.org/a.css">', "//cdn.example.org/a.css"),
        ('<script src="https://cdn.example.org/a.js"></script>', "https://cdn.example.org/a.js"),
        ('<iframe src="https://example.org/embed"></iframe>', "https://example.org/embed"),
        ('<div style="background: url(https://example.org/bg.png)"></div>', "https://example.org/bg.png"),
    ],
)
def test_asset_from_another_host(line, url):
    problems = [p for p in check_text(page_with(line), "docs/t.md", page=True) if "another host" in p.message]
    assert len(problems) == 1 and problems[0].line == 4 and url in problems[0].message
    assert problems[0].column == line.index(url) + 1


def test_reference_style_image_from_another_host():
    text = "# T\n\n![Hình][h]\n\n[h]: https://example.org/h.png\n[doc]: https://pytorch.org/docs\n"
    problem = only(check_text(text, "docs/t.md", page=True))
    assert problem.line == 5 and "https://example.org/h.png" in problem.message


def test_links_to_other_sites_and_local_images_are_fine():
    text = (
        "# T\n\nXem [tài liệu PyTorch](https://pytorch.org/docs/stable/autograd.html).\n\n"
        '![Hình](hinh.svg)\n<img src="out/a/b-light.svg" alt="b">\n<https://pytorch.org>\n'
    )
    assert check_text(text, "docs/t.md", page=True) == []


def test_command_line_reports_file_and_line(tmp_path):
    original = site_lines(cp1252_decodable)[0]
    page = tmp_path / "trang.md"
    page.write_text(page_with(original.encode("utf-8").decode("cp1252")), encoding="utf-8")
    clean = tmp_path / "sach.md"
    clean.write_text(page_with(original), encoding="utf-8")
    script = os.path.join(ROOT, "scripts", "textchecks.py")
    done = subprocess.run([sys.executable, script, str(clean), str(page)], capture_output=True, text=True)
    assert done.returncode == 1
    assert f"{page}:4:1: mojibake" in done.stdout and str(clean) not in done.stdout
    done = subprocess.run([sys.executable, script, str(clean)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == ""


def test_a_line_marked_allow_may_show_a_mistake_on_purpose():
    broken = site_lines(cp1252_decodable)[0].encode("utf-8").decode("cp1252")
    assert check_text(page_with(broken + " <!-- textchecks: allow -->"), "docs/t.md", page=True) == []
    assert check_text(page_with("<script></script> <!-- textchecks: allow -->"), "docs/t.md", page=True) == []
    assert len(check_text(page_with(broken) + broken + "\n", "docs/t.md", page=True)) == 2


def test_result_store_reuses_results_only_for_the_same_text(tmp_path, monkeypatch):
    """The build keeps check results on disk: a file whose text did not change is not checked again
    (its stored problems, if any, are reported again), an edited file is checked afresh."""
    page = tmp_path / "p.md"
    page.write_text("Gradient\u200b của hàm\n", encoding="utf-8")
    store_path = str(tmp_path / "store.json")
    store = textchecks.CheckStore(store_path)
    (problem,) = textchecks.check_file(str(page), "p.md", store=store)
    assert (problem.line, problem.column) == (1, 9) and "U+200B" in problem.message
    store.results.save()
    stored = stored_entries(store_path)
    assert list(stored.values()) == [[[1, 9, problem.message]]]
    store_entries(store_path, {k: [[1, 1, "FROM STORE"]] for k in stored})  # proves a rebuild reads the store
    store = textchecks.CheckStore(store_path)
    assert [p.message for p in textchecks.check_file(str(page), "p.md", store=store)] == ["FROM STORE"]
    page.write_text("Gradient của hàm\n", encoding="utf-8")
    assert textchecks.check_file(str(page), "p.md", store=store) == []


def test_a_repair_is_shown_as_it_is_typed_and_the_file_can_be_repaired_whole(tmp_path):
    """The repair of a broken formula keeps single backslashes (not a Python repr's doubled ones),
    and `textchecks.py --fix` repairs the whole file in place, leaving good lines alone."""
    original = "Công thức $\\delta = \\frac{\\partial L}{\\partial z}$ cho từng tầng."
    broken = original.encode("utf-8").decode("cp1252", errors="ignore")
    problem = only(check_text(page_with(broken), "docs/t.md", page=True))
    assert problem.message.endswith("\n    " + original) and "\\\\delta" not in problem.message
    page = tmp_path / "t.md"
    good = "# Tiêu đề\n\nMột dòng đúng.\n"
    page.write_text(good + broken + "\n", encoding="utf-8")
    assert textcli.main(["--fix", str(page)]) == 0  # repaired, then checked clean
    assert page.read_text(encoding="utf-8") == good + original + "\n"
    assert textcli.main(["--fix", str(page)]) == 0 and page.read_text(encoding="utf-8") == good + original + "\n"
