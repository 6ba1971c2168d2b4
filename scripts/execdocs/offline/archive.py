"""The built site as one zip, readable from the disk without a server or a connection.

Opened from the disk (file://), a browser does not turn a folder link into its index.html, so in
the copy that goes into the zip every relative link to a folder names its index.html. Material
switches off its instant navigation on file:// by itself. Search needs a web worker, which a page
opened from the disk may not start: the read-me says search is the web site's. The zip is the same
bytes for the same site (sorted names, fixed dates); it is cached under a key of every file of the
site, and made again only when one changed, then compressing only the files that changed.
"""

import glob
import hashlib
import io
import json
import os
import re
import shutil
import zipfile
import zlib

from execdocs.offline import zipwriter
from execdocs.store import content_key, sha256_file, source_of, write_if_changed

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


def digested(files):
    """[(relative, path, sha256 of the file)] of site_files' list."""
    return [(relative, path, sha256_file(path)) for relative, path in files]


def site_key(digested_files):
    digest = hashlib.sha256()
    for relative, _, file_digest in digested_files:
        digest.update(relative.encode() + b"\0")
        digest.update(bytes.fromhex(file_digest))
    return digest.hexdigest()


def _member(relative, path):
    with open(path, "rb") as fh:
        data = fh.read()
    if relative.endswith(".html"):
        data = _file_links(data.decode("utf-8")).encode("utf-8")
    return zipwriter.compress(f"{TOP}/{relative}", data, stored=relative.endswith(STORED))


def _read_me():
    return zipwriter.compress("ĐỌC TRƯỚC.txt", READ_ME.encode("utf-8"))


def zip_bytes(files, site_dir):
    """The zip of site_files' list, every member compressed afresh."""
    buffer = io.BytesIO()
    members = [_read_me(), *(_member(relative, path) for relative, path in files)]
    zipwriter.write(buffer, members, FIXED_DATE)
    return buffer.getvalue()


def placeholder():
    """The zip a page links to until the build writes the real one (and under `mkdocs serve`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        note = "Bản nén của cả trang chỉ được tạo bởi `mkdocs build`, không phải `mkdocs serve`.\n"
        archive.writestr(zipfile.ZipInfo("ĐỌC TRƯỚC.txt", FIXED_DATE), note.encode("utf-8"))
    return buffer.getvalue()


def _member_code():
    """What a member's compressed bytes depend on besides its file: this code and zlib."""
    return content_key(source_of(__name__, zipwriter), zlib.ZLIB_RUNTIME_VERSION)


def _kept_members(cache_dir, code):
    """{member key: Member} of the last zip made, from its manifest; {} where either is missing,
    unreadable or does not match the other (then every member is compressed again)."""
    for manifest_path in glob.glob(os.path.join(cache_dir, "offline-*.json")):
        try:
            with open(manifest_path, encoding="utf-8") as fh:
                manifest = json.load(fh)
            with open(os.path.join(cache_dir, manifest["zip"]), "rb") as fh:
                data = fh.read()
            if manifest["code"] != code or hashlib.sha256(data).hexdigest() != manifest["sha256"]:
                continue
            return {
                key: zipwriter.Member(name, crc, size, kind, data[offset : offset + length])
                for key, (name, crc, size, kind, offset, length) in manifest["members"].items()
            }
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return {}


def write(site_dir, archive_name, cache_dir):
    """Write site_dir/archive_name, from the cache when no file of the site changed; True if made.
    A new zip compresses only the files that changed since the last one: the others' compressed
    bytes are copied from it (its manifest, offline-KEY.json, says where each member lies)."""
    files = digested(site_files(site_dir, leave_out={archive_name}))
    name = f"offline-{site_key(files)[:24]}"
    cached = os.path.join(cache_dir, f"{name}.zip")
    made = not os.path.isfile(cached)
    if made:
        os.makedirs(cache_dir, exist_ok=True)
        code = _member_code()
        kept = _kept_members(cache_dir, code)
        keys = [content_key(code, relative, file_digest) for relative, _, file_digest in files]
        members = [_read_me()]
        members += [kept.get(key) or _member(relative, path) for key, (relative, path, _) in zip(keys, files)]
        partial = f"{cached}.{os.getpid()}.partial"
        with open(partial, "wb") as fh:
            offsets = zipwriter.write(fh, members, FIXED_DATE)
        manifest = {
            "zip": os.path.basename(cached),
            "sha256": sha256_file(partial),
            "code": code,
            "members": {
                key: [m.name, m.crc, m.size, m.compress_type, offset, len(m.compressed)]
                for key, m, offset in zip(keys, members[1:], offsets[1:])
            },
        }
        os.replace(partial, cached)  # a zip under its key is whole, or absent
        write_if_changed(os.path.join(cache_dir, f"{name}.json"), json.dumps(manifest))
        for old in glob.glob(os.path.join(cache_dir, "offline-*.zip")) + glob.glob(
            os.path.join(cache_dir, "offline-*.json")
        ):
            if os.path.basename(old) not in (f"{name}.zip", f"{name}.json"):
                os.remove(old)
    shutil.copyfile(cached, os.path.join(site_dir, archive_name))
    return made
