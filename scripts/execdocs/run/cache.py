"""The store of successful snippet runs: one folder per (snippet, content key).

The key covers the snippet's bytes, exactly the code that can change what a run produces (the
child that runs it, the cell splitter, the fragment writer, the records it writes: RUN_CODE), the
variables the runner sets for the child, the device and the library versions. Local modules a run imported are listed in its entry with their hashes; an entry
whose modules changed since is a miss. Only successful runs are ever stored, and an entry
appears by one rename, so a crash or a kill never leaves a half-written entry behind.
"""

import functools
import json
import os
import platform
import shutil
from importlib import metadata

from execdocs import contract
from execdocs.run import cells, child, fragments, limits
from execdocs.store import content_key, remove_tree, sha256_file

# The modules whose code shapes a stored run. The runner's scheduling, the warm worker, the
# shards and parity only decide when and where a run happens, not what it produces.
RUN_CODE = (child, cells, fragments, limits, contract)
KEEP_PER_SNIPPET = 4
ENTRY = ".entry.json"


@functools.lru_cache(maxsize=None)  # one metadata scan per process, not one per snippet
def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def environment_fingerprint(device):
    return {
        "device": device,
        "python": platform.python_version(),
        "torch": _version("torch"),
        "matplotlib": _version("matplotlib"),
        "numpy": _version("numpy"),
    }


def runner_fingerprint(child_variables=None):
    """A hash of RUN_CODE's source and of the variables the runner sets for every child."""
    parts = []
    for module in RUN_CODE:
        with open(module.__file__, "rb") as fh:
            parts += [module.__name__, fh.read()]
    parts.append(json.dumps(child_variables or {}, sort_keys=True))
    return content_key(*parts)


def snippet_key(snippet_path, device, runner_hash):
    with open(snippet_path, "rb") as fh:
        source = fh.read()
    environment = json.dumps(environment_fingerprint(device), sort_keys=True)
    return content_key(source, runner_hash, environment, length=20)


class Cache:
    def __init__(self, root, snippets_dir):
        self.root = root
        self.snippets_dir = snippets_dir

    def entry_dir(self, name, key):
        return os.path.join(self.root, name, key)

    def lookup(self, name, key):
        """The folder of a valid stored run, or None."""
        folder = self.entry_dir(name, key)
        try:
            with open(os.path.join(folder, ENTRY), encoding="utf-8") as fh:
                entry = json.load(fh)
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        for relpath, digest in entry["modules"].items():
            path = os.path.join(self.snippets_dir, relpath)
            if not os.path.exists(path) or sha256_file(path) != digest:
                return None
        os.utime(folder)  # recently used entries survive pruning
        return folder

    def clear_staging(self):
        """Remove half-made staging folders left by a run that was killed."""
        if not os.path.isdir(self.root):
            return
        for name in os.listdir(self.root):
            folder = os.path.join(self.root, name)
            if os.path.isdir(folder):
                for sub in os.listdir(folder):
                    if sub.startswith("."):
                        remove_tree(os.path.join(folder, sub))

    def staging_dir(self, name, key):
        folder = os.path.join(self.root, name, f".staging-{key}-{os.getpid()}")
        remove_tree(folder)
        os.makedirs(folder)
        return folder

    def store(self, name, key, staging, modules):
        """Seal a successful run's staging folder as the entry for key."""
        entry = {"modules": {m: sha256_file(os.path.join(self.snippets_dir, m)) for m in modules}}
        with open(os.path.join(staging, ENTRY), "w", encoding="utf-8") as fh:
            json.dump(entry, fh, indent=1, sort_keys=True)
        final = self.entry_dir(name, key)
        if os.path.exists(final):
            old = final + f".old-{os.getpid()}"
            os.replace(final, old)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(staging, final)
        self._prune(name)
        return final

    def _prune(self, name):
        folder = os.path.join(self.root, name)
        entries = [
            os.path.join(folder, d)
            for d in os.listdir(folder)
            if not d.startswith(".") and os.path.isdir(os.path.join(folder, d))
        ]
        entries.sort(key=os.path.getmtime, reverse=True)
        for stale in entries[KEEP_PER_SNIPPET:]:
            remove_tree(stale)
