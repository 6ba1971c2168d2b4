"""Each page's entries in Material's search index, kept between builds.

Material's search plugin parses every page's HTML with Python's html.parser on every build (about
a tenth of a no-change build) to cut it into sections. The entries it makes depend on the page's
content, table of contents, URL, title and meta, and on the search plugin's options: the search
store keeps them under a key of those. execdocs.patches routes SearchIndex.add_entry_from_context
through `SearchStore.add_entry`, which is also where the page's content is swapped for its
searchable form (render/search.py: formulas as the text a reader sees) while the index reads it.
"""

import json

from execdocs.render import search
from execdocs.store import ResultStore, content_key


class SearchStore:
    """{key: a page's search entries} in a ResultStore; `enabled` False: every page parsed."""

    def __init__(self, path, code):
        self.store = ResultStore(path)
        self.code = code  # versions and source of what makes the entries
        self.enabled = True
        self.start_build()

    def start_build(self):
        self.parsed = self.reused = 0

    def add_entry(self, original, index, page, with_jieba):
        if (page.meta.get("search") or {}).get("exclude"):
            return original(index, page)  # an excluded page makes no entries
        key = self.key(index, page, with_jieba) if self.enabled else None
        entries = None if key is None else self.store.get(key)
        if entries is not None:
            index.entries.extend(_entries(entries))
            self.reused += 1
        else:
            before = len(index.entries)
            content = page.content
            page.content = search.searchable(content)
            try:
                original(index, page)
            finally:
                page.content = content
            entries = _pairs(index.entries[before:])
            self.parsed += 1
        if key is not None:
            self.store.keep(key, entries)

    def key(self, index, page, with_jieba):
        return content_key(
            self.code,
            json.dumps(index.config, sort_keys=True, default=str),
            with_jieba,
            page.url,
            page.title,
            json.dumps(page.meta, sort_keys=True, default=str),
            json.dumps([_toc_item(i) for i in page.toc]),
            page.content,
        )

    def summary(self):
        return f"search: {self.parsed} pages parsed, {self.reused} from the search store"


def _toc_item(item):
    return [item.title, item.id, item.url, [_toc_item(c) for c in item.children]]


def _pairs(entries):
    """Entries as lists of (name, value): the store's JSON sorts the names of a dict, and the index
    keeps Material's order."""
    return [[[k, list(v) if isinstance(v, list) else v] for k, v in e.items()] for e in entries]


def _entries(pairs):
    return [{k: list(v) if isinstance(v, list) else v for k, v in e} for e in pairs]
