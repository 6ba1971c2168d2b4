"""Where the elements of each built page come from: `python scripts/domcount.py site/`.

Counts the elements of each page's HTML as built (before any script runs) and splits them into
KaTeX's visible layout (`.katex-html`), KaTeX's MathML (`.katex-mathml`, the part screen readers and
search read), the rest of each formula's wrappers, highlighted code (inside `.highlight`) and
everything else. Long pages are slow to style and lay out on a phone mostly because of their
element count (issue 18), so this shows what a change of the math or code markup saves.
"""

import argparse
import html.parser
import json
import os
import sys

from localsite import site_pages  # beside this file

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PARTS = ("katex-html", "katex-mathml", "katex-other", "code", "rest")


class _Counter(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, part) of the open elements
        self.counts = dict.fromkeys(PARTS, 0)

    def _part(self, classes):
        inherited = self.stack[-1][1] if self.stack else "rest"
        if inherited in ("katex-html", "katex-mathml", "code"):
            return inherited
        if "katex-html" in classes:
            return "katex-html"
        if "katex-mathml" in classes:
            return "katex-mathml"
        if inherited == "katex-other" or classes & {"katex", "katex-display", "math-display"}:
            return "katex-other"
        if "highlight" in classes:
            return "code"
        return "rest"

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        part = self._part(classes)
        self.counts[part] += 1
        if tag not in VOID:
            self.stack.append((tag, part))

    def handle_startendtag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        self.counts[self._part(classes)] += 1

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):  # tolerate unclosed <p>, <li>, ...
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return


def count_html(text):
    """{part: element count} of one HTML document (or fragment)."""
    counter = _Counter()
    counter.feed(text)
    counter.close()
    counts = counter.counts
    counts["total"] = sum(counts[p] for p in PARTS)
    return counts


def count_site(site):
    pages = {}
    for page in site_pages(site):
        with open(os.path.join(site, page, "index.html"), encoding="utf-8") as fh:
            pages[page] = count_html(fh.read())
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", help="the built site folder")
    parser.add_argument("--json", default=None, help="also write the counts to this file")
    parser.add_argument("--all", action="store_true", help="also show the per-snippet notebook pages")
    args = parser.parse_args(argv)
    pages = count_site(args.site)
    print(f"{'page':36s} {'total':>6s} {'k-html':>6s} {'mathml':>6s} {'k-wrap':>6s} {'code':>6s} {'rest':>6s}")
    for page, c in pages.items():
        if not args.all and page.startswith("notebooks/") and page != "notebooks/":
            continue
        print(
            f"/{page:35s} {c['total']:6d} {c['katex-html']:6d} {c['katex-mathml']:6d} "
            f"{c['katex-other']:6d} {c['code']:6d} {c['rest']:6d}"
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(pages, fh, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
