"""The built site in a real browser: a localhost server, Debian's chromium, and page audits.

Used by the browser tests. Every request to a host other than localhost is aborted and recorded, so a
test run also proves the site needs no network.
"""

import concurrent.futures
import multiprocessing
import os
import re
import shutil
import unicodedata
import urllib.parse
import warnings
import weakref

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")
SCREENSHOTS = os.path.join(ROOT, "_build", "screenshots")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
SCHEMES = ("light", "dark")


def chromium_or_skip():
    """The chromium executable; skips without one, except in CI (CI=true), where it fails."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the Python package playwright is not installed (see requirements.txt)"
    if problem is None and not (os.path.isfile(path) and os.access(path, os.X_OK)):
        problem = f"no chromium at {path} (install it: apt-get install -y chromium)"
    if problem is None:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI, but {problem}")
    pytest.skip(f"browser tests skipped: {problem}")


def fold(text):
    """Vietnamese text without diacritics, as the search index folds it."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not 0x300 <= ord(c) <= 0x36F)
    return plain.replace("đ", "d").replace("Đ", "D")


class Recorder:
    """Everything that went wrong while a browser context loaded pages."""

    def __init__(self, context):
        self.console_errors, self.failed, self.foreign = [], [], []
        context.route("**/*", self._route)
        context.on("page", self.watch)

    def watch(self, page):
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

    def _route(self, route):
        url = urllib.parse.urlsplit(route.request.url)
        if url.scheme in ("data", "blob", "file") or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort("blockedbyclient")

    def _request_failed(self, request):
        if request.url not in self.foreign:
            self.failed.append(f"{request.failure} {request.url}")


NAVIGATION_TIMEOUT_MS = 120_000


def new_context(browser, viewport="desktop", scheme="light", javascript=True, touch=False):
    """touch: a phone's touch screen (no hovering pointer: the media query (hover) is false)."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        color_scheme=scheme,
        java_script_enabled=javascript,
        service_workers="block",
        is_mobile=touch,
        has_touch=touch,
    )
    # Playwright's 30 s is too short for the print page (110,000 elements) on a 2-core machine that is
    # busy with other work (seen at load 10); a slower load is not what these tests are about
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context, Recorder(context)


def open_page(context, url, laid_out=True, idle=True):
    """idle=False: not waiting for the network to be quiet (500 ms at least), for a caller that waits
    for it later, once it has made the page load everything. laid_out: every block laid out (lay_out)."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    if idle:
        page.wait_for_load_state("networkidle")
    if laid_out:
        lay_out(page)
    return page


# A click waits for its target to keep one place for two frames ("stable"). Once, in CI, a page's
# frames stopped: the stepper's button was shown and enabled, the page answered every query, but no
# frame came for 30 s and the click timed out. A browser that draws no frame is not a fault of the
# site, so such a click is made without the wait for frames, after the checks that do not need
# frames: the element is shown, enabled and the topmost thing at its centre.
CLICK_TIMEOUT_MS = 20_000  # Playwright: 30 s; a stall then costs 20 s once per page
NEXT_FRAME_MS = """() => new Promise(done => {
    const start = performance.now();
    requestAnimationFrame(() => done(performance.now() - start));
    setTimeout(() => done(null), 2000);
})"""
HIT_AT_CENTRE = """e => {
    e.scrollIntoView({block: "center", behavior: "instant"});
    const box = e.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return top !== null && (top === e || e.contains(top));
}"""
_pages_without_frames = weakref.WeakSet()


def click(locator, **options):
    """locator.click(**options), which still clicks when the browser has stopped drawing the page's
    frames (with a warning); any other reason the click cannot be made fails as before."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page = locator.page
    if page not in _pages_without_frames:
        try:
            return locator.click(timeout=CLICK_TIMEOUT_MS, **options)
        except PlaywrightTimeoutError:
            if page.evaluate(NEXT_FRAME_MS) is not None:
                raise  # frames come: the element itself moves, is covered, hidden or disabled
            page.bring_to_front()
            if page.evaluate(NEXT_FRAME_MS) is not None:
                return locator.click(timeout=CLICK_TIMEOUT_MS, **options)
            _pages_without_frames.add(page)
            warnings.warn(
                f"{page.url}: the browser drew no frame for 2 s; clicks here skip the wait for frames", stacklevel=2
            )
    elif page.evaluate(NEXT_FRAME_MS) is not None:
        _pages_without_frames.discard(page)
        return locator.click(timeout=CLICK_TIMEOUT_MS, **options)
    assert locator.is_visible(), f"{locator} is not shown"
    assert locator.is_enabled(), f"{locator} is disabled"
    assert locator.evaluate(HIT_AT_CENTRE), f"{locator} is covered by another element at its centre"
    return locator.click(**{**options, "timeout": CLICK_TIMEOUT_MS, "force": True})


# The blocks reader.css lets the browser skip until they come near the screen, read from the
# stylesheet itself (its rules with content-visibility: auto), as one selector ("" if none).
SKIPPED_BLOCKS = """() => {
    const found = [];
    const walk = rules => { for (const rule of rules) {
        if (rule.cssRules && !(rule instanceof CSSStyleRule)) walk(rule.cssRules);
        else if (rule.style && rule.style.contentVisibility === "auto") found.push(rule.selectorText);
    } };
    for (const sheet of document.styleSheets) { try { walk(sheet.cssRules); } catch (e) {} }
    return found.join(", ");
}"""
# Down the page a screen at a time, two frames at each stop (the browser lays out the blocks near
# the screen, and reader.js measures their boxes), then back to the top.
SCROLL_THROUGH = """async blocks => {
    // a page that is not shown gets no frames: a second at most at each stop
    const frame = () => new Promise(done => {
        requestAnimationFrame(() => requestAnimationFrame(done));
        setTimeout(done, 1000);
    });
    const last = [...document.querySelectorAll(blocks)].pop();
    if (!last) return 0;
    let stops = 0;
    for (let y = 0; y < last.getBoundingClientRect().bottom + scrollY && stops < 200; y += innerHeight) {
        scrollTo({top: y, behavior: "instant"});
        await frame();
        stops += 1;
    }
    scrollTo({top: 0, behavior: "instant"});
    await frame();
    // and what the scrolling set in motion (Material's header fades its title back) come to rest
    const ending = document.getAnimations().filter(a => !a.effect || a.effect.getTiming().iterations !== Infinity);
    const ended = Promise.all(ending.map(animation => animation.finished.catch(() => null)));
    await Promise.race([ended, new Promise(done => setTimeout(done, 3000))]);
    return stops;
}"""


def ready(page, timeout=60000):
    """Until reader.js has set up the page (data-reader-ready). Without JavaScript (Material's
    document$ is not there) nothing is waited for."""
    page.wait_for_function(
        "() => document.documentElement.hasAttribute('data-reader-ready') || typeof document$ === 'undefined'",
        timeout=timeout,
    )


def lay_out(page, timeout=60000):
    """Every block of the page text laid out, as after a reader has scrolled through it: reader.css
    lets the browser skip a block until it comes near the screen (content-visibility), and a skipped
    block has a guessed height and no painted content, so what measures the page (axe, overflow,
    screenshots) waits for this. The page is scrolled through (reader.js measures the wide boxes of
    each block as the browser lays it out), then every block is kept laid out."""
    ready(page, timeout)
    blocks = page.evaluate(SKIPPED_BLOCKS)
    if not blocks:
        return
    if page.evaluate("typeof document$ !== 'undefined'"):  # without JavaScript no timer or frame would end the scroll
        page.evaluate(SCROLL_THROUGH, blocks)
    show_every_block(page, blocks)


def show_every_block(page, blocks):
    """Every skipped block laid out from now on. (Not page.add_style_tag: it waits for the style's
    load event, which never fires where JavaScript is off.)"""
    page.evaluate(
        """css => { const sheet = document.createElement("style"); sheet.textContent = css; document.head.append(sheet); }""",
        blocks + " { content-visibility: visible !important; }",
    )


def load_images(page):
    """Load every image now (lazy and hidden ones too); the sources of those that fail."""
    return page.evaluate(
        """async () => {
            const images = [...document.images];
            for (const img of images) img.loading = "eager";
            await Promise.all(images.map(img => img.complete ? null :
                new Promise(done => { img.onload = img.onerror = done; })));
            return images.filter(img => !img.naturalWidth).map(img => img.currentSrc || img.src);
        }"""
    )


def math_problems(page):
    """KaTeX error elements and TeX delimiters left raw in the prose (code excluded)."""
    return page.evaluate(
        """() => {
            const problems = [...document.querySelectorAll(".katex-error")]
                .map(el => "KaTeX error: " + (el.getAttribute("title") || el.textContent));
            const body = document.querySelector("article") || document.body;
            const copy = body.cloneNode(true);
            copy.querySelectorAll("pre, code, script, style, annotation").forEach(el => el.remove());
            const text = copy.textContent;
            for (const raw of ["$$", "\\\\(", "\\\\["]) {
                const at = text.indexOf(raw);
                if (at >= 0) problems.push(`raw ${raw} in the text: ...${text.slice(Math.max(0, at - 40), at + 40)}...`);
            }
            return problems;
        }"""
    )


def axe_violations(page, impacts=("serious", "critical")):
    page.add_script_tag(path=AXE)
    violations = page.evaluate(
        # KaTeX's visual layer is aria-hidden and takes the text colour: skipping it saves minutes
        """async () => (await axe.run({exclude: [[".katex-html"]]}, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    return [v for v in violations if v["impact"] in impacts]


# Which elements of the page are shown (1) or not (0), in document order: what a colour scheme can
# change besides colours.
SHOWN = """() => [...document.querySelectorAll("body *")]
    .map(el => el.checkVisibility({opacityProperty: true, visibilityProperty: true}) ? "1" : "0").join("")"""

# The colour schemes differ in colours only (Material's palette and reader.css set colour properties
# and `color-scheme`), and in what they show: each figure's variant for the scheme
# (img[src$="#only-light"] or "#only-dark") and the palette button for the other scheme.
SCHEME_SWAPS = 'img[src$="#only-light"], img[src$="#only-dark"], label[for^="__palette_"]'
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # axe's rules of the cat.color tag run by default
AXE_IN_THE_OTHER_SCHEME = """async ([shownBefore, swaps, colourRules]) => {
    const all = [...document.querySelectorAll("body *")];
    const shown = el => el.checkVisibility({opacityProperty: true, visibilityProperty: true}) ? "1" : "0";
    const changed = all.length === shownBefore.length ? all.filter((el, i) => shown(el) !== shownBefore[i]) : null;
    const outermost = changed && changed.filter(el => !changed.includes(el.parentElement));
    const landmarks = "main, header, footer, nav, aside, [role]";
    // anything else shown or hidden (or another page structure): every rule on the whole page
    const onlySwaps = outermost && outermost.every(el => el.matches(swaps) && el.parentElement.closest(landmarks));
    const report = r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    const options = {resultTypes: ["violations"]};
    if (!onlySwaps)
        return {scope: "all", violations: report(await axe.run({exclude: [[".katex-html"]]}, options))};
    // every colour rule over the page; every other rule around each element shown or hidden only
    // here: its parent and what it could give a name to (a link, a button, a heading, a cell, ...)
    const colours = await axe.run({exclude: [[".katex-html"]]}, {...options, runOnly: {type: "rule", values: colourRules}});
    const holders = "a, button, label, summary, legend, caption, figcaption, h1, h2, h3, h4, h5, h6, th, td, dt, dd, li, [role]";
    const around = [...new Set(outermost.flatMap(el => [el.parentElement, el.parentElement.closest(holders)]).filter(Boolean))];
    const rest = around.length ? report(await axe.run({include: around, exclude: [[".katex-html"]]},
        {...options, rules: Object.fromEntries(colourRules.map(id => [id, {enabled: false}]))})) : [];
    return {scope: `colours, and all rules around ${outermost.length} element(s)`, violations: [...report(colours), ...rest]};
}"""


def shown_elements(page):
    return page.evaluate(SHOWN)


def axe_violations_in_the_other_scheme(page, shown_before, impacts=("serious", "critical")):
    """axe on a page already audited in the other colour scheme (shown_before: its SHOWN there):
    the colour rules over the whole page, and every rule on what this scheme shows or hides
    differently, when that is only the scheme's figures and palette button; otherwise every rule
    on the whole page. (scope said, violations)."""
    page.add_script_tag(path=AXE)
    found = page.evaluate(AXE_IN_THE_OTHER_SCHEME, [shown_before, SCHEME_SWAPS, COLOUR_RULES])
    return found["scope"], [v for v in found["violations"] if v["impact"] in impacts]


def sideways_overflow(page):
    """How far the page scrolls sideways, and visible elements that stick out of the viewport
    without a scrolling box of their own around them."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const scrolls = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
            const offenders = [];
            // .katex-mathml is KaTeX's visually hidden copy of each formula for screen readers
            for (const el of document.querySelectorAll(".md-main *:not(.katex-mathml *)")) {
                const box = el.getBoundingClientRect();
                if (!box.width || box.right <= width + 1) continue;
                // inside the page text a box may also clip on purpose (KaTeX draws stretchy
                // symbols as wide SVGs in overflow: hidden spans); outside it only scrolling counts
                const article = el.closest("article");
                let inBox = false;
                for (let up = el.parentElement; up && up !== document.body && !inBox; up = up.parentElement)
                    inBox = scrolls(up) || (up !== article && article && article.contains(up) &&
                        ["hidden", "clip"].includes(getComputedStyle(up).overflowX));
                if (!inBox) offenders.push(el.tagName.toLowerCase() + "." +
                    [...el.classList].join(".") + " right=" + Math.round(box.right));
            }
            return {scroll: document.body.scrollWidth - width, offenders: offenders.slice(0, 5)};
        }"""
    )


def wide_boxes(page):
    """Formulas, tables and code wider than their box: how many scroll inside it, and those that
    do not."""
    return page.evaluate(
        """() => {
            const wide = [...document.querySelectorAll(".math-display, .md-typeset__scrollwrap, pre > code")]
                .filter(el => el.scrollWidth > el.clientWidth + 1);
            const scrolls = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
            return {scrolling: wide.filter(scrolls).length,
                    stuck: wide.filter(el => !scrolls(el)).map(el =>
                        `${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}>${el.clientWidth}`)};
        }"""
    )


def screenshot(page, page_path, viewport, scheme):
    """The page as a reader sees it, saved for a person to look at (no test compares the pictures).

    The first screen by default: a full-page picture of a lesson took 2-7 s of the audit's time per
    visit. AUDIT_SCREENSHOTS=full takes whole pages instead."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    slug = page_path.strip("/").replace("/", "--") or "index"
    path = os.path.join(SCREENSHOTS, f"{slug}--{viewport}-{scheme}.png")
    page.screenshot(path=path, full_page=os.environ.get("AUDIT_SCREENSHOTS") == "full")
    return path


def clear_screenshots():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)


def search(page, query, attempts=2):
    """Type a query into Material's search box; (result page paths in order, highlighted words).

    Material renders long result lists in steps as the list is scrolled; on a slow machine that
    can miss a step, so a query that times out is typed once more before the test fails."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for attempt in range(attempts):
        try:
            return _search_once(page, query)
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise


def _search_once(page, query):
    page.keyboard.press("Escape")
    box = page.locator("input.md-search__input")
    click(box)
    answered = """() => {
        const meta = document.querySelector(".md-search-result__meta");
        return meta && /\\d|Không/.test(meta.textContent);
    }"""
    box.fill("")
    page.wait_for_function(f"() => !({answered})()")  # the previous query's results are gone
    box.press_sequentially(query, delay=20)
    page.wait_for_function(answered, timeout=60000)  # the first query waits for the index
    # The count of matching pages is announced first; Material renders ten, then four more each time
    # the list reaches its bottom: scroll down and back up until every one is there.
    meta = page.locator(".md-search-result__meta").inner_text()
    expected = int(re.search(r"\d+", meta).group(0)) if re.search(r"\d+", meta) else 0
    page.wait_for_function(
        """expected => {
            if (document.querySelectorAll(".md-search-result__item").length >= expected) return true;
            const wrap = document.querySelector(".md-search__scrollwrap");
            const atBottom = wrap.scrollTop + wrap.clientHeight >= wrap.scrollHeight - 20;
            wrap.scrollTop = atBottom ? 0 : wrap.scrollHeight;
            return false;
        }""",
        arg=expected,
        timeout=60000,
        polling=200,
    )
    found = page.evaluate(
        """() => ({
            links: [...document.querySelectorAll(".md-search-result__link")].map(a => a.href),
            marks: [...document.querySelectorAll(".md-search-result mark")].map(m => m.textContent),
        })"""
    )
    pages = []
    for href in found["links"]:
        path = urllib.parse.urlsplit(href).path
        if path not in pages:
            pages.append(path)
    return pages, found["marks"]


def audit_visits(browser, site_url, page_path, viewport, schemes):
    """One page in one viewport, in each of schemes in turn: {scheme: what is wrong with it, and its
    screenshot}.

    The page is opened once, in the first scheme, and axe runs every rule there. It then follows the
    device into each next scheme in place, as a reader's page does when their phone turns dark
    (partials/javascripts/palette.html), and axe checks what a scheme can change there
    (axe_violations_in_the_other_scheme): a second load and scroll of a long page would find
    nothing more, since every figure of both schemes was already loaded (load_images)."""
    context, record = new_context(browser, viewport, schemes[0])
    page = open_page(context, site_url + page_path, idle=False)
    broken_images = load_images(page)
    page.wait_for_load_state("networkidle")  # every request the page made has ended: none is missed
    if page_path == "ban-in/":
        # axe takes minutes over the whole print page (its DOM is every chapter's): the audit keeps
        # its own part and its first three chapters (tabs, tables, the stepper); the others are the
        # same markup with other ids, each audited on its own page
        page.evaluate("document.querySelectorAll('.print-chapter:nth-of-type(n+4)').forEach(c => c.remove())")
    recorded = {"console": record.console_errors, "failed": record.failed, "foreign": record.foreign}
    findings, shown, seen = {}, None, dict.fromkeys(recorded, 0)
    for scheme in schemes:
        found = {"broken_images": broken_images if shown is None else []}
        if shown is None:
            found["axe_scope"], found["axe"] = "all", axe_violations(page)  # on a phone too: wide boxes scroll there
            shown = shown_elements(page)
        else:
            switch_scheme(page, scheme)
            found["axe_scope"], found["axe"] = axe_violations_in_the_other_scheme(page, shown)
        if viewport == "desktop":
            found["math"] = math_problems(page)
        else:
            found["overflow"] = sideways_overflow(page)
            found["wide"] = wide_boxes(page)
        page.evaluate("scrollTo({top: 0, behavior: 'instant'})")
        found["screenshot"] = screenshot(page, page_path, viewport, scheme)
        for key, so_far in recorded.items():  # what happened since the previous scheme's findings
            found[key], seen[key] = so_far[seen[key] :], len(so_far)
        findings[scheme] = found
    context.close()
    return findings


# Material's body attribute for each scheme of SCHEMES (mkdocs.yml's palette)
MATERIAL_SCHEMES = {"light": "default", "dark": "slate"}


def switch_scheme(page, scheme):
    """Switch the device's colour scheme with the page open, and wait until the page has followed."""
    page.emulate_media(color_scheme=scheme)
    page.wait_for_function(
        "scheme => document.body.getAttribute('data-md-color-scheme') === scheme", arg=MATERIAL_SCHEMES[scheme]
    )
    page.wait_for_load_state("networkidle")


def _audit_in_this_process(executable, site_url, groups):
    """groups: lists of the visits of one page in one viewport (audit_visits)."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            for group in groups:
                page_path, viewport = group[0][:2]
                by_scheme = audit_visits(browser, site_url, page_path, viewport, [s for _, _, s in group])
                for scheme, findings in by_scheme.items():
                    found[(page_path or "/", viewport, scheme)] = findings
        finally:
            browser.close()
    return found


def audit_pages(site_url, visits, processes=None):
    """{(page or "/", viewport, scheme): findings} for every visit (page_path, viewport, scheme).

    The visits of one page in one viewport stay together (one page load for all its themes);
    those groups are dealt in turn to one browser per process (AUDIT_PROCESSES, default one per
    core, at most 4): the browsers then use every core, where one browser waits on one page at a
    time."""
    processes = processes or int(os.environ.get("AUDIT_PROCESSES", min(4, os.cpu_count() or 1)))
    executable = chromium_or_skip()
    groups = {}
    for p, v, s in visits:
        groups.setdefault((p, v), []).append((p, v, s))
    groups = list(groups.values())
    shares = [groups[i::processes] for i in range(processes) if groups[i::processes]]
    # always in other processes: this one has its own Playwright already (one per process), and runs
    # threads (the site server, Playwright's), so spawn, not fork
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(len(shares), mp_context=spawn) as pool:
        done = pool.map(_audit_in_this_process, [executable] * len(shares), [site_url] * len(shares), shares)
        found = {}
        for part in done:
            found.update(part)
    return {(p or "/", v, s): found[(p or "/", v, s)] for p, v, s in visits}  # in the visits' order
