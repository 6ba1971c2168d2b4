"""Results kept on disk between builds, one JSON file of {content hash: result}.

Callers hash everything a result depends on; a wrong or stale result therefore cannot be found,
only a missing one (which costs one slower build). The file keeps only what the last build used,
so it does not grow as pages and snippets change.
"""

import json

from snippetkit.files import write_if_changed


class BuildStore:
    def __init__(self, path):
        self.path = path
        try:
            with open(path, encoding="utf-8") as fh:
                stored = json.load(fh)
        except (FileNotFoundError, ValueError):
            stored = {}
        self.stored = stored if isinstance(stored, dict) else {}
        self.used = {}

    def start_build(self):
        self.used = {}

    def get(self, key):
        return self.stored.get(key)

    def keep(self, key, value):
        self.used[key] = value

    def save(self):
        if self.used != self.stored:
            write_if_changed(self.path, json.dumps(self.used, sort_keys=True))
            self.stored = dict(self.used)
