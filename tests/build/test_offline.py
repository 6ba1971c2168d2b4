"""Reading away from the site: the print page (every chapter on one page) and the site as a zip."""

import io
import os
import re
import zipfile
from collections import Counter

import pytest

from conftest import lesson_files, nav_files, read_page
from execdocs.offline import archive, printpage, zipwriter


def test_a_chapter_keeps_unique_ids_and_its_links_become_links_within_the_print_page():
    content = (
        '<h1 id="dau">Đầu</h1><p><a href="#dau">lên</a> <a href="../gradient/#toc-do">x</a> '
        '<a href="../gradient/">y</a> <a href="../notebooks/a/">z</a></p>'
        '<input id="__tabbed_1_1" name="__tabbed_1"><label for="__tabbed_1_1">t</label>'
        '<div aria-labelledby="__tabbed_1_1"></div><h2 id="ket">Kết</h2>'
        '<svg><marker id="arrow"/><path marker-end="url(#arrow)"/></svg><input name="eta" id="eta-1">'
        '<p><img src="../out/a/f-light.svg#only-light" alt="a">\n<img src="../out/a/f-dark.svg#only-dark" alt="a"></p>'
    )
    out = printpage.chapter_html(content, "ma-tran", {"ma-tran", "gradient"})
    assert out.startswith('<section class="print-chapter" id="ma-tran">')
    assert '<h2 id="ma-tran--dau">Đầu</h2>' in out and '<h3 id="ma-tran--ket">' in out  # one level down
    assert 'href="#ma-tran--dau"' in out
    assert 'href="#gradient--toc-do"' in out and 'href="#gradient"' in out  # to another chapter on the page
    assert 'href="../notebooks/a/"' in out  # not a chapter: left alone
    assert 'id="ma-tran--__tabbed_1_1" name="ma-tran--__tabbed_1"' in out and 'for="ma-tran--__tabbed_1_1"' in out
    assert 'aria-labelledby="ma-tran--__tabbed_1_1"' in out
    assert 'marker-end="url(#ma-tran--arrow)"' in out
    assert '<input name="eta" id="ma-tran--eta-1">' in out  # a widget's own field keeps its name
    assert "#only-dark" not in out and 'src="../out/a/f-light.svg"' in out  # light figures, always shown


def test_the_print_page_holds_every_chapter_in_nav_order_with_unique_ids(site):
    page = read_page(site, "ban-in")
    expected = [p for p in nav_files() if p not in ("index.md", "dong-gop.md", "bao-cao.md", "notebooks/index.md")]
    assert set(lesson_files()) <= set(expected)
    found = re.findall(r'<section class="print-chapter" id="([^"]+)">', page)
    assert found == [printpage.chapter_slug(p) for p in expected]
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets and targets <= set(ids)  # every link within the page lands on something
    assert "#only-dark" not in page and 'class="katex"' in page and "{{" not in page
    assert 'data-md-type="navigation" hidden>' in page and 'data-md-type="toc" hidden>' in page  # no navigation
    assert page.count("<h1") == 1


def test_the_home_page_links_the_print_page_and_the_zip(site):
    home = read_page(site, "")
    assert 'href="ban-in/"' in home and 'href="lan-truyen-nguoc-offline.zip"' in home


def test_the_zip_holds_every_page_with_links_that_work_from_the_disk(site):
    with zipfile.ZipFile(os.path.join(site, printpage.ARCHIVE)) as zipped:
        names = set(zipped.namelist())
        pages = {n for n in names if n.endswith("index.html")}
        assert f"{archive.TOP}/index.html" in pages and f"{archive.TOP}/gradient/index.html" in pages
        built = {
            os.path.relpath(os.path.join(d, f), site).replace(os.sep, "/") for d, _, fs in os.walk(site) for f in fs
        }
        assert {f"{archive.TOP}/{n}" for n in built if n != printpage.ARCHIVE} <= names
        home = zipped.read(f"{archive.TOP}/index.html").decode("utf-8")
        assert 'href="gradient/index.html"' in home
        for name in pages:
            text = zipped.read(name).decode("utf-8")
            folder_links = [u for u in re.findall(r'href="([^"#:?]*/)(?:#[^"]*)?"', text) if not u.startswith("/")]
            assert folder_links == [], (name, folder_links[:3])
            # what search and every script that waits for Material's document$ need on file://
            assert '"navigation.instant' not in text, name
            assert text.count('assets/javascripts/iframe-worker.js"></script><script src="') == 1, name
        index = zipped.read(f"{archive.TOP}/search/search_index.js").decode("utf-8")
        assert (
            index == "var __index = " + open(os.path.join(site, "search", "search_index.json"), encoding="utf-8").read()
        )
        assert b"IFrameWorker" in zipped.read(f"{archive.TOP}/assets/javascripts/iframe-worker.js")


MATERIAL_PAGE = (
    '<script id="__config" type="application/json">{"base": "..", "features": ["content.lazy", '
    '"navigation.instant", "navigation.instant.progress", "navigation.top"], "search": "x.js"}</script>\n'
    '<script src="../assets/javascripts/bundle.0a1b2c3d.min.js"></script>\n<script src="../r.js"></script>'
)


def test_a_material_page_on_the_disk_leaves_out_instant_navigation_and_loads_the_worker_shim_first():
    out = archive.offline_page(MATERIAL_PAGE, "a/index.html")
    assert out == (
        '<script id="__config" type="application/json">{"base": "..", "features": ["content.lazy", '
        '"navigation.top"], "search": "x.js"}</script>\n<script src="../assets/javascripts/iframe-worker.js"></script>'
        '<script src="../assets/javascripts/bundle.0a1b2c3d.min.js"></script>\n<script src="../r.js"></script>'
    )
    assert archive.offline_page("<p>not Material's</p>", "b.html") == "<p>not Material's</p>"
    with pytest.raises(archive.OfflineCopyError, match="c/index.html: no Material bundle"):
        archive.offline_page(MATERIAL_PAGE.replace("bundle.", "main."), "c/index.html")


@pytest.fixture
def shim(tmp_path):
    path = tmp_path / "shim.js"
    path.write_text("window.IFrameWorker = 1;", encoding="utf-8")
    return str(path)


def test_without_the_front_end_packages_the_zip_says_what_to_install(tmp_path):
    site = _site(tmp_path, {"index.html": "<p>a</p>"})
    with pytest.raises(archive.OfflineCopyError, match="npm ci"):
        archive.write(str(site), "x.zip", str(tmp_path / "cache"), str(tmp_path / "missing.js"))


def test_the_zip_is_the_same_bytes_for_the_same_site_and_cached_by_content(tmp_path, monkeypatch, shim):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="a/">a</a> <a href="#x">x</a>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<a href="../">home</a>', encoding="utf-8")
    files = archive.site_files(str(site), leave_out=set())
    assert archive.zip_bytes(files, str(site)) == archive.zip_bytes(files, str(site))
    cache = tmp_path / "cache"
    assert archive.write(str(site), "x.zip", str(cache), shim) is True
    assert archive.write(str(site), "x.zip", str(cache), shim) is False  # nothing changed: the cached zip
    code = archive._member_code()
    monkeypatch.setattr(archive, "_member_code", lambda: code + "edited")  # archive.py or zipwriter.py edited
    assert archive.write(str(site), "x.zip", str(cache), shim) is True
    (site / "a" / "index.html").write_text('<a href="../">trang chủ</a>', encoding="utf-8")
    assert archive.write(str(site), "x.zip", str(cache), shim) is True
    assert len(list(cache.glob("offline-*.zip"))) == 1  # the old one is gone
    with zipfile.ZipFile(site / "x.zip") as zipped:
        assert zipped.read("lan-truyen-nguoc/a/index.html").decode() == '<a href="../index.html">trang chủ</a>'
        assert zipped.read("lan-truyen-nguoc/index.html").decode() == '<a href="a/index.html">a</a> <a href="#x">x</a>'


def _zipfile_bytes(members):
    """What zipfile itself writes for [(name, data)]: the layout zipwriter must keep."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, data in members:
            info = zipfile.ZipInfo(name, archive.FIXED_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name.endswith(archive.STORED) else zipfile.ZIP_DEFLATED
            zipped.writestr(info, data, compresslevel=zipwriter.LEVEL)
    return buffer.getvalue()


def test_the_zip_writer_writes_what_zipfile_writes():
    members = [
        ("ĐỌC TRƯỚC.txt", "Mở index.html".encode()),
        ("lan-truyen-nguoc/index.html", b"<p>" + b"gradient " * 500 + b"</p>"),
        ("lan-truyen-nguoc/assets/hinh.png", bytes(range(256)) * 8),
        ("lan-truyen-nguoc/empty.txt", b""),
    ]
    stored = [zipwriter.compress(n, d, stored=n.endswith(archive.STORED)) for n, d in members]
    buffer = io.BytesIO()
    zipwriter.write(buffer, stored, archive.FIXED_DATE)
    assert buffer.getvalue() == _zipfile_bytes(members)
    with zipfile.ZipFile(buffer) as zipped:
        assert zipped.testzip() is None
        assert zipped.read("lan-truyen-nguoc/assets/hinh.png") == members[2][1]


def _site(tmp_path, pages):
    site = tmp_path / "site"
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def test_a_new_zip_compresses_only_the_changed_files_and_equals_a_fresh_one(tmp_path, monkeypatch, shim):
    pages = {f"bai-{i}/index.html": f'<a href="../bai-{i + 1}/">tiếp</a> {"đạo hàm " * i}' for i in range(6)}
    site = _site(tmp_path, pages)
    cache = tmp_path / "cache"
    assert archive.write(str(site), "x.zip", str(cache), shim) is True
    compressed = []
    original = zipwriter.compress
    monkeypatch.setattr(zipwriter, "compress", lambda name, *a, **k: compressed.append(name) or original(name, *a, **k))
    (site / "bai-3" / "index.html").write_text("<p>trang đã sửa</p>", encoding="utf-8")
    assert archive.write(str(site), "x.zip", str(cache), shim) is True
    assert compressed == ["ĐỌC TRƯỚC.txt", "lan-truyen-nguoc/bai-3/index.html"]
    files = archive.offline_files(archive.site_files(str(site), leave_out={"x.zip"}), shim)
    assert (site / "x.zip").read_bytes() == archive.zip_bytes(files, str(site))
    assert sorted(p.suffix for p in cache.iterdir()) == [".json", ".zip"]  # the last zip and its manifest

    # a damaged last zip is not copied from: every member is compressed again, and the zip is right
    (zipped,) = cache.glob("offline-*.zip")
    zipped.write_bytes(zipped.read_bytes()[:-10] + b"0123456789")
    (site / "bai-4" / "index.html").write_text("<p>sửa lần nữa</p>", encoding="utf-8")
    compressed.clear()
    assert archive.write(str(site), "x.zip", str(cache), shim) is True
    assert len(compressed) == 1 + len(pages) + 1  # the read-me, the pages, the shim
    assert (site / "x.zip").read_bytes() == archive.zip_bytes(files, str(site))


def test_the_placeholder_is_a_zip_that_says_how_to_get_the_real_one():
    with zipfile.ZipFile(io.BytesIO(archive.placeholder())) as zipped:
        (name,) = zipped.namelist()
        assert "mkdocs build" in zipped.read(name).decode("utf-8")
