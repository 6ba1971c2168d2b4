"""Splitting the snippets across N machines, and merging their caches back into one build.

A snippet's shard depends only on its name, so adding a snippet never moves the others.
Each shard's runs land in its own `_build/cache/`; copying those folders into one build's
`cache/` and running again fills `out/` from the cache without running anything.
"""

import hashlib
import os
import shutil


def parse(text):
    """'K/N' (1 <= K <= N) -> (K, N)."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard {text!r}: expected K/N, for example 2/4") from None
    if not 1 <= k <= n:
        raise ValueError(f"--shard {text!r}: need 1 <= K <= N")
    return k, n


def shard_of(name, count):
    """The 1-based shard of a snippet among count shards."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % count + 1


def select(names, k, n):
    return [name for name in names if shard_of(name, n) == k]


def merge_caches(sources, cache_root):
    """Copy every stored run of each source (a build folder or its cache/ folder) into
    cache_root; entries already there are kept. Returns how many entries were copied."""
    copied = 0
    for source in sources:
        folder = os.path.join(source, "cache") if os.path.isdir(os.path.join(source, "cache")) else source
        if not os.path.isdir(folder):
            raise FileNotFoundError(f"--merge {source}: no cache folder there")
        for name in sorted(os.listdir(folder)):
            if name.startswith(".") or not os.path.isdir(os.path.join(folder, name)):
                continue
            for key in sorted(os.listdir(os.path.join(folder, name))):
                entry = os.path.join(folder, name, key)
                target = os.path.join(cache_root, name, key)
                if key.startswith(".") or not os.path.isdir(entry) or os.path.exists(target):
                    continue
                staging = os.path.join(cache_root, name, f".merge-{key}-{os.getpid()}")
                shutil.copytree(entry, staging)
                os.replace(staging, target)  # an entry appears whole or not at all
                copied += 1
    return copied
