"""The built site as one zip, readable from the disk without a server or a connection.

Opened from the disk (file://), a browser does not turn a folder link into its index.html, so in
the copy that goes into the zip every relative link to a folder names its index.html. Material
switches off its instant navigation on file:// by itself. Search needs a web worker, which a page
opened from the disk may not start: the read-me says search is the web site's. The zip is the same
bytes for the same site (sorted names, fixed dates); it is cached under a key of every file of the
site, and made again only when one changed.
"""

import glob
import hashlib
import io
import os
import re
import shutil
import zipfile

FIXED_DATE = (2020, 1, 1, 0, 0, 0)
TOP = "lan-truyen-nguoc"  # the folder the zip unpacks to
READ_ME = """Lan truyền ngược, từ đạo hàm đến vòng lặp huấn luyện: bản đọc không cần mạng.

Mở lan-truyen-nguoc/index.html bằng trình duyệt. Mọi trang, công thức, hình và sổ tay đều có ở đây.
Ô tìm kiếm chỉ chạy trên trang web (mở từ đĩa, trình duyệt không cho nó chạy). Bản mới nhất luôn ở
trang web của khoá học.
"""
# href="..." or src="..." after a non-word character; the pattern starts with a character set, which
# the regex engine scans for quickly (a leading \b or alternation is ~3x slower on 14 MB of pages)
LINK = re.compile(r'([hs]r(?:ef|c))="([^"]*)"')
STORED = (".woff2", ".woff", ".png", ".jpg", ".zip", ".gz")  # compressed already


def file_link(url):
    """A relative link to a folder ("../gradient/", "../gradient/#x", ".", "..") names its index.html."""
    path, hash_, anchor = url.partition("#")
    if not path or ":" in path or path.startswith("/") or "?" in path:
        return url  # a place on this page, another host, a root-relative or a query link
    if path in (".", "..") or path.endswith(("/.", "/..")):
        path += "/"
    if path.endswith("/"):
        return f"{path}index.html{hash_}{anchor}"
    return url


# a font preload is a CORS request, which a page opened from the disk may not make (it fails and
# is reported); the stylesheets still load the same fonts
FONT_PRELOAD = re.compile(r'<link rel="preload"[^>]*\bas="font"[^>]*>')


def _without_font_preloads(text):
    """text less each font preload and the white space before it."""
    if '<link rel="preload"' not in text:
        return text
    kept, cursor = [], 0
    for match in FONT_PRELOAD.finditer(text):
        kept.append(text[cursor : match.start()].rstrip())
        cursor = match.end()
    return "".join(kept) + text[cursor:]


def _linked(match):
    before = match.string[match.start() - 1] if match.start() else " "
    if match.group(1) not in ("href", "src") or before.isalnum() or before == "_":
        return match.group(0)  # not an attribute of its own ("hrc", "xsrc")
    return f'{match.group(1)}="{file_link(match.group(2))}"'


def _file_links(text):
    return LINK.sub(_linked, _without_font_preloads(text))


def site_files(site_dir, leave_out):
    found = []
    for parent, folders, names in os.walk(site_dir):
        folders.sort()
        for name in sorted(names):
            path = os.path.join(parent, name)
            relative = os.path.relpath(path, site_dir).replace(os.sep, "/")
            if relative not in leave_out:
                found.append((relative, path))
    return found


def site_key(files):
    digest = hashlib.sha256()
    for relative, path in files:
        digest.update(relative.encode() + b"\0")
        with open(path, "rb") as fh:
            digest.update(hashlib.sha256(fh.read()).digest())
    return digest.hexdigest()


def _members(files, site_dir):
    for relative, path in files:
        with open(path, "rb") as fh:
            data = fh.read()
        if relative.endswith(".html"):
            data = _file_links(data.decode("utf-8")).encode("utf-8")
        yield relative, data


def zip_bytes(files, site_dir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entries = [("ĐỌC TRƯỚC.txt", READ_ME.encode("utf-8"))]
        entries += [(f"{TOP}/{name}", data) for name, data in _members(files, site_dir)]
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name.endswith(STORED) else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def placeholder():
    """The zip a page links to until the build writes the real one (and under `mkdocs serve`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        note = "Bản nén của cả trang chỉ được tạo bởi `mkdocs build`, không phải `mkdocs serve`.\n"
        archive.writestr(zipfile.ZipInfo("ĐỌC TRƯỚC.txt", FIXED_DATE), note.encode("utf-8"))
    return buffer.getvalue()


def write(site_dir, archive_name, cache_dir):
    """Write site_dir/archive_name, from the cache when no file of the site changed; True if made."""
    files = site_files(site_dir, leave_out={archive_name})
    cached = os.path.join(cache_dir, f"offline-{site_key(files)[:24]}.zip")
    made = not os.path.isfile(cached)
    if made:
        data = zip_bytes(files, site_dir)
        os.makedirs(cache_dir, exist_ok=True)
        partial = f"{cached}.{os.getpid()}.partial"
        with open(partial, "wb") as fh:
            fh.write(data)
        os.replace(partial, cached)  # a zip under its key is whole, or absent
        for old in glob.glob(os.path.join(cache_dir, "offline-*.zip")):
            if old != cached:
                os.remove(old)
    shutil.copyfile(cached, os.path.join(site_dir, archive_name))
    return made
