"""What a reader's browser transfers for each page of a built site, measured in chromium.

`python scripts/pageweight.py site/` (the benchmark calls `measure`). The site is served from
localhost as a static host serves it (GitHub Pages: text types gzip-compressed, `Cache-Control:
max-age=600`), and the server counts every byte it sends, headers included, so requests made by the
search worker count too. A first visit opens the page in a fresh browser (empty cache), scrolls to
the bottom so every lazy image loads, and waits until the network is quiet; a second page is opened
in the same browser afterwards (after the page whose first visit was lightest, which leaves the
least in the cache), so only what its cache lacks is sent. Both colour schemes are
measured: a dark-scheme reader fetches the dark variant of each figure instead of the light one.
"""

import argparse
import os
import sys
import time

from localsite import SiteServer, site_pages  # beside this file

SCHEMES = ("light", "dark")
VIEWPORT = {"width": 375, "height": 740}  # a phone: the reader this site is written for
SCROLL_TO_BOTTOM = """async () => {
  // a reader scrolling down: bring every shown image into view (a hidden theme variant has no
  // layout box, so its lazy image is never fetched), then rest at the bottom
  for (const image of document.images) {
    if (image.offsetParent === null) continue;
    image.scrollIntoView();
    await new Promise(resolve => setTimeout(resolve, 30));
  }
  window.scrollTo(0, document.body.scrollHeight);
}"""


class _Visits:
    """One browser; each `visit` opens pages in one fresh context and returns what each cost."""

    def __init__(self, browser, server):
        self.browser, self.server = browser, server
        self.offsite = []

    def visit(self, scheme, *pages):
        # no request routing: Playwright switches the HTTP cache off when routes are set
        context = self.browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
        context.on("request", self._note_offsite)
        costs = []
        try:
            tab = context.new_page()
            for page in pages:
                self.server.counter.reset()
                tab.goto(self.server.url + page, wait_until="load")
                tab.evaluate(SCROLL_TO_BOTTOM)
                self._settle()
                costs.append(self.server.counter.take())
        finally:
            context.close()
        return costs

    def _settle(self, quiet=0.4, limit=20):
        """Wait until the server has sent nothing new for `quiet` seconds."""
        deadline = time.monotonic() + limit
        seen = -1
        while time.monotonic() < deadline:
            count = len(self.server.counter.take()[2])
            if count == seen:
                return
            seen = count
            time.sleep(quiet)

    def _note_offsite(self, request):
        if not request.url.startswith((self.server.url, "data:", "blob:", "about:")):
            self.offsite.append(request.url)


def measure(site, chromium, say=print):
    """{"first": {(scheme, page): (sent, raw)}, "second": {(before, page): sent}, "offsite": [...]}."""
    from playwright.sync_api import sync_playwright

    pages = site_pages(site)
    server = SiteServer(site)
    first, second = {}, {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            visits = _Visits(browser, server)
            for scheme in SCHEMES:
                for page in pages:
                    sent, raw, _ = visits.visit(scheme, page)[0]
                    first[(scheme, page)] = (sent, raw)
            # a second page costs most after a page that shares little with it: the lightest one
            lightest = min(pages, key=lambda p: first[("light", p)][0])
            for page in pages:
                if page != lightest:
                    second[(lightest, page)] = visits.visit("light", lightest, page)[1][0]
            browser.close()
    finally:
        server.close()
    return {"pages": pages, "first": first, "second": second, "offsite": visits.offsite}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", help="the built site folder")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    result = measure(args.site, args.chromium)
    for page in result["pages"]:
        light, dark = result["first"][("light", page)], result["first"][("dark", page)]
        print(
            f"{page or '/':34s} light {light[0] / 1024:7.1f} KiB ({light[1] / 1024:7.1f} raw)  dark {dark[0] / 1024:7.1f}"
        )
    worst = max(result["second"], key=result["second"].get)
    print(f"second page, worst: {worst} {result['second'][worst] / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
