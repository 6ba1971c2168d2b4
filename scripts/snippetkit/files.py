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


def sync_dir(source, target):
    """Make target hold exactly source's files (flat), rewriting only changed ones."""
    os.makedirs(target, exist_ok=True)
    wanted = set()
    for name in sorted(os.listdir(source)):
        path = os.path.join(source, name)
        if os.path.isfile(path) and not name.startswith("."):
            wanted.add(name)
            with open(path, "rb") as fh:
                write_if_changed(os.path.join(target, name), fh.read())
    for name in os.listdir(target):
        if name not in wanted:
            path = os.path.join(target, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)
