"""The one store of results kept between builds, and the one atomic write.

Everything a build keeps (snippet runs, KaTeX formulas, highlighted code, text-check results,
purged stylesheets, generated notebooks) is stored under a content key: a hash of everything the
result depends on. A stale result therefore cannot be found, only a missing one, which costs one
slower build. Every file is written by `write_if_changed`: to a private temporary name, then one
rename, so a crash or a second build never leaves a half-written file behind.

- `content_key(*parts)`: the key of a result from the bytes or text it depends on.
- `ResultStore(path)`: {key: JSON value} in one file, one entry a line; it keeps what the last
  build used, serialises only the entries that changed, and adds them to the end of a large file
  rather than writing it all again.
- Snippet runs are folders (their figures are files): run/cache.py keeps them under the same
  kind of key, each sealed by one rename.
"""

import functools
import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from importlib import metadata


def content_key(*parts, length=None):
    """sha256 over the parts (bytes or text), each followed by a separator."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:length] if length else digest.hexdigest()


def source_of(*modules):
    """The source bytes of each module (a module object or a dotted name), joined: the part of a
    result's key that makes an edit of the code that made the result miss it."""
    parts = []
    for module in modules:
        path = importlib.util.find_spec(module).origin if isinstance(module, str) else module.__file__
        with open(path, "rb") as fh:
            parts.append(fh.read())
    return b"\0".join(parts)


@functools.lru_cache(maxsize=None)  # one metadata scan per package and process
def package_version(name):
    """The installed version of a distribution, or None."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_if_changed(path, data):
    """Write bytes atomically, only if they differ; return True when the file changed."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if os.path.getsize(path) == len(data):  # another size: changed, without reading the old file
            with open(path, "rb") as fh:
                if fh.read() == data:
                    return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return True


STAMP = ".synced"


def _listing(folder):
    """{name: (size, mtime_ns)} of the plain files in folder, dotfiles left out; None if absent."""
    try:
        with os.scandir(folder) as entries:
            return {
                e.name: (e.stat().st_size, e.stat().st_mtime_ns)
                for e in entries
                if not e.name.startswith(".") and e.is_file()
            }
    except FileNotFoundError:
        return None


def sync_dir(source, target):
    """Make target hold exactly source's files (flat), rewriting only changed ones. The target
    keeps a stamp of the source's listing (names, sizes, modification times): when the source
    is unchanged since the last sync and the target still has the same files and sizes, the
    files are not read again."""
    stamp_path = os.path.join(target, STAMP)
    source_listing = _listing(source)
    signature = repr(sorted(source_listing.items()))
    try:
        with open(stamp_path, encoding="utf-8") as fh:
            target_listing = _listing(target)
            sizes = {name: size for name, (size, _) in source_listing.items()}
            if fh.read() == signature and {n: s for n, (s, _) in target_listing.items()} == sizes:
                return
    except FileNotFoundError:
        pass
    os.makedirs(target, exist_ok=True)
    remove_quietly(stamp_path)  # an interrupted sync must not look complete
    for name in sorted(source_listing):
        with open(os.path.join(source, name), "rb") as fh:
            write_if_changed(os.path.join(target, name), fh.read())
    for name in os.listdir(target):
        # Dotfiles are the stamp and another build's temporary files: never copied, never removed.
        if name not in source_listing and not name.startswith("."):
            remove_quietly(os.path.join(target, name))
    write_if_changed(stamp_path, signature)


def remove_quietly(path):
    """Remove a file or folder that another build may have removed already."""
    try:
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    except FileNotFoundError:
        pass


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)


FORMAT = '{"execdocs-store": 2}'  # the first line of a store file: one entry a line after it
APPEND_FROM_CHARS = 4 << 20  # a store file this large gets its changed entries added at its end
_ABSENT = object()


def read_store(path):
    """{key: the entry's JSON text} of a store file; {} if it is missing, of another format or damaged."""
    return _read_store(path)[0]


def _read_store(path):
    """(read_store's entries, the file's length in characters; 0 where the entries are {})."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (FileNotFoundError, UnicodeDecodeError):
        return {}, 0
    lines = text.split("\n")  # only "\n": str.splitlines also splits inside JSON text
    if lines[0] != FORMAT:
        return {}, 0
    entries = {}
    for line in lines[1:]:
        if not line:
            continue
        key_text, tab, value_text = line.partition("\t")
        try:
            key = json.loads(key_text)
        except ValueError:
            return {}, 0
        if not tab or not isinstance(key, str):
            return {}, 0
        entries[key] = value_text  # a later line of a key (added by save) wins
    return entries, len(text)


def store_text(entries):
    """A store file's text from {key: the entry's JSON text}, keys in order."""
    return "\n".join([FORMAT, *(_line(key, entries[key]) for key in sorted(entries))]) + "\n"


def _line(key, text):
    return json.dumps(key, ensure_ascii=False) + "\t" + text


def entry_text(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class ResultStore:
    """{content key: JSON value} kept in one file between builds.

    A build calls `start_build()`, then `get(key)` / `keep(key, value)` for every result it uses,
    and `save()` once it succeeded: the file then holds what that build used (and, in a large
    file, a bounded rest of what earlier builds used; see below), so it does not grow without end
    as pages and snippets change. An unreadable file is an empty store.

    The file holds one entry a line (read_store), each parsed only when a build asks for it, and
    `save()` writes an entry that a build kept as `get` gave it from the text it was read from, so
    saving after an edit serialises only the new entries. A value that `get` returned is the
    store's: a caller that wants another value keeps a new object rather than changing that one.

    A file of APPEND_FROM_CHARS characters or more (the stores of whole pages: tens of MB on a
    large site) is not serialised again for a few changed entries: a copy of its bytes with the
    new lines at its end takes its place (one rename, as always; a later line wins over an earlier
    one of the same key). The lines no build uses any more stay until they outweigh the used
    ones; the file is then written again with the used entries only, so it stays under about
    twice what a build uses.
    """

    def __init__(self, path):
        self.path = path
        self.texts, self.chars = _read_store(path)  # key -> the entry's JSON text, as in the file
        self.values = {}  # key -> the value parsed from texts, as get returned it
        self.used = {}

    def start_build(self):
        self.used = {}

    def get(self, key):
        value = self.values.get(key, _ABSENT)
        if value is not _ABSENT:
            return value
        text = self.texts.get(key)
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:  # a damaged entry is a missing one
            del self.texts[key]
            return None
        self.values[key] = value
        return value

    def keep(self, key, value):
        self.used[key] = value

    def _text(self, key, value):
        return self.texts[key] if self.values.get(key, _ABSENT) is value else entry_text(value)

    def save(self):
        if self.used.keys() == self.texts.keys() and all(
            self.values.get(k, _ABSENT) is v for k, v in self.used.items()
        ):
            return  # every entry as read: the file holds this build's store already
        texts = {key: self._text(key, value) for key, value in self.used.items()}
        self.values = dict(self.used)
        if self.chars >= APPEND_FROM_CHARS:
            changed = {key: text for key, text in texts.items() if self.texts.get(key) != text}
            lines = "".join(_line(key, changed[key]) + "\n" for key in sorted(changed))
            used = sum(len(json.dumps(key, ensure_ascii=False)) + len(text) + 2 for key, text in texts.items())
            if self.chars + len(lines) <= 2 * used and (not lines or self._append(lines)):
                self.texts = {**self.texts, **changed}  # what the file holds now
                self.chars += len(lines)
                return
        text = store_text(texts)
        write_if_changed(self.path, text)
        self.texts, self.chars = texts, len(text)

    def _append(self, lines):
        """The file with `lines` at its end, in one rename; False if it is not a store file any more
        (another build replaced it with something else, or removed it)."""
        try:
            old = open(self.path, "rb")
        except FileNotFoundError:
            return False
        with old:
            header = old.readline()
            if header != (FORMAT + "\n").encode("utf-8"):
                return False
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.path), prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(header)
                    shutil.copyfileobj(old, out, 1 << 20)
                    out.write(lines.encode("utf-8"))
                os.replace(tmp, self.path)
            except BaseException:
                remove_quietly(tmp)
                raise
        return True
