"""Small file helpers: atomic writes that touch a file only when its bytes change."""

import hashlib
import os
import shutil
import tempfile


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
