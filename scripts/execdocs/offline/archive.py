"""The built site as one zip, readable from the disk without a server or a connection.

Opened from the disk (file://), a browser does not turn a folder link into its index.html, so in
the copy that goes into the zip every relative link to a folder names its index.html. Pages in the
copy leave out Material's instant navigation: on file:// Material switches it off by completing its
document$ stream, so nothing that waits for a page (Material's own code copy and tabs, reader.js,
the stepper) would ever run. Search works from the disk as Material's offline plugin makes it work:
the index as a script (search/search_index.js) and iframe-worker's shim, which runs the search
worker in a hidden frame where file:// forbids a worker. The zip is the same bytes for the same
site (sorted names, fixed dates); it is cached under a key of every file of the site, and made
again only when one changed, then compressing only the files that changed.
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

Mở lan-truyen-nguoc/index.html bằng trình duyệt. Mọi trang, công thức, hình và sổ tay đều có ở đây,
ô tìm kiếm cũng chạy (gõ có dấu hay không dấu đều được). Bản mới nhất luôn ở trang web của khoá học.
"""
# href="..." or src="..." after a non-word character; the pattern starts with a character set, which
# the regex engine scans for quickly (a leading \b or alternation is ~3x slower on 14 MB of pages)
LINK = re.compile(r'([hs]r(?:ef|c))="([^"]*)"')
STORED = (".woff2", ".woff", ".png", ".jpg", ".zip", ".gz")  # compressed already
SEARCH_INDEX = "search/search_index.json"
SEARCH_SCRIPT = "search/search_index.js"  # the name Material's bundle loads on file://
WORKER_SHIM = "assets/javascripts/iframe-worker.js"


class OfflineCopyError(Exception):
    """A page of the site is not as the copy on disk expects Material to make it."""


def worker_shim(project_root):
    """iframe-worker's shim (npm, package.json): on file:// only, it stands in for window.Worker."""
    return os.path.join(project_root, "node_modules", "iframe-worker", "shim", "index.js")


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


CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
BUNDLE = re.compile(r'<script src="([^"]*)assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')


def _without_instant_navigation(match):
    config = json.loads(match.group(2))
    config["features"] = [f for f in config.get("features", []) if not f.startswith("navigation.instant")]
    return match.group(1) + json.dumps(config) + match.group(3)


def _offline_scripts(text, relative):
    """A Material page without instant navigation and with the worker shim before Material's bundle."""
    if 'id="__config"' not in text:
        return text  # not a Material page
    bundle = BUNDLE.search(text)
    if bundle is None:
        raise OfflineCopyError(f"{relative}: no Material bundle <script> found; update execdocs/offline/archive.py")
    shim = f'<script src="{bundle.group(1)}{WORKER_SHIM}"></script>'
    text = text[: bundle.start()] + shim + text[bundle.start() :]
    return CONFIG.sub(_without_instant_navigation, text, count=1)


def _linked(match):
    before = match.string[match.start() - 1] if match.start() else " "
    if match.group(1) not in ("href", "src") or before.isalnum() or before == "_":
        return match.group(0)  # not an attribute of its own ("hrc", "xsrc")
    return f'{match.group(1)}="{file_link(match.group(2))}"'


def offline_page(text, relative):
    """A page of the site as the copy on disk has it."""
    return _offline_scripts(LINK.sub(_linked, _without_font_preloads(text)), relative)


def site_files(site_dir, leave_out):
    """[(relative, path)] of every file of the site but leave_out's."""
    found = []
    for parent, folders, names in os.walk(site_dir):
        folders.sort()
        for name in sorted(names):
            path = os.path.join(parent, name)
            relative = os.path.relpath(path, site_dir).replace(os.sep, "/")
            if relative not in leave_out:
                found.append((relative, path))
    return found


def offline_files(files, shim_path):
    """site_files' list plus what search needs on the disk: the index as a script (made from the
    JSON file, see _member) and the worker shim."""
    if not os.path.isfile(shim_path):
        raise OfflineCopyError(f"{shim_path} is missing: install the front-end packages (npm ci, see README)")
    extra = [(WORKER_SHIM, shim_path)]
    extra += [(SEARCH_SCRIPT, path) for relative, path in files if relative == SEARCH_INDEX]
    return sorted(files + extra)


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
        data = offline_page(data.decode("utf-8"), relative).encode("utf-8")
    elif relative == SEARCH_SCRIPT:
        data = b"var __index = " + data
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


def write(site_dir, archive_name, cache_dir, shim_path):
    """Write site_dir/archive_name, from the cache when no file of the site changed; True if made.
    A new zip compresses only the files that changed since the last one: the others' compressed
    bytes are copied from it (its manifest, offline-KEY.json, says where each member lies)."""
    files = digested(offline_files(site_files(site_dir, leave_out={archive_name}), shim_path))
    code = _member_code()
    name = f"offline-{content_key(code, site_key(files), length=24)}"  # the code too: an edit of it misses
    cached = os.path.join(cache_dir, f"{name}.zip")
    made = not os.path.isfile(cached)
    if made:
        os.makedirs(cache_dir, exist_ok=True)
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
