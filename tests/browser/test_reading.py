"""The built site in chromium, page by page as a reader uses it: fonts, search, the learning-rate
explorer, figure sizes, and what the audit of a second theme must find (test_browser.py audits
every page). Separate from the audit's file, so that pytest-xdist runs them beside it.
"""

import os
import re

import pytest

import browserkit
import localsite
from browserkit import fold


def test_the_second_theme_audit_finds_what_the_theme_breaks(browser, served):
    """Planted in the dark theme only: a figure without its alt text, text without contrast, and a
    paragraph the theme hides. The audit of the dark theme after the light one reports each."""
    path = served + "vong-lap-huan-luyen/"
    context, _ = browserkit.new_context(browser, "desktop", "light")
    shown = browserkit.shown_elements(browserkit.open_page(context, path))
    context.close()

    def dark_audit(plant):
        context, _ = browserkit.new_context(browser, "desktop", "dark")
        page = browserkit.open_page(context, path)
        page.evaluate(plant)
        found = browserkit.axe_violations_in_the_other_scheme(page, shown)
        context.close()
        return found[0], {v["id"] for v in found[1]}

    def style(css):
        return f"() => document.head.insertAdjacentHTML('beforeend', '<style>{css}</style>')"

    scope, found = dark_audit("() => document.querySelector('img[src$=\"#only-dark\"]').removeAttribute('alt')")
    assert scope.startswith("colours, and all rules around") and "image-alt" in found
    scope, found = dark_audit(style("[data-md-color-scheme=slate] article p { color: #2a2a33 !important }"))
    assert scope.startswith("colours, and all rules around") and "color-contrast" in found
    scope, found = dark_audit(style("[data-md-color-scheme=slate] article p:first-of-type { display: none }"))
    assert scope == "all"  # not a figure swap: every rule over the page


def test_vietnamese_text_uses_the_self_hosted_font(browser, served):
    context, record = browserkit.new_context(browser)
    page = browserkit.open_page(context, served)
    loaded = page.evaluate(
        """async () => {
            const faces = await document.fonts.load("400 16px Roboto", "ữ ỹ ặ");
            return {faces: faces.map(f => f.family + " " + f.unicodeRange),
                    family: getComputedStyle(document.body).fontFamily};
        }"""
    )
    page.wait_for_load_state("networkidle")
    context.close()
    assert loaded["family"].startswith('"Roboto"') or loaded["family"].startswith("Roboto")
    assert any("U+1EA0-1EF9" in face for face in loaded["faces"]), loaded
    fonts = [url for url in record.failed + record.foreign if ".woff" in url]
    assert not fonts


SEARCHES = [
    ("lan truyền ngược", "lan truyen nguoc"),
    ("tốc độ học", "toc do hoc"),
    ("đạo hàm riêng", "dao ham rieng"),
    ("quy tắc chuỗi", "quy tac chuoi"),
]


@pytest.fixture(scope="module")
def search_page(browser, served):
    context, record = browserkit.new_context(browser)
    page = browserkit.open_page(context, served)
    yield page
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


@pytest.mark.parametrize("accented, plain", SEARCHES, ids=[p for _, p in SEARCHES])
def test_search_finds_the_same_pages_with_or_without_diacritics(search_page, accented, plain):
    accented_pages, _ = browserkit.search(search_page, accented)
    plain_pages, marks = browserkit.search(search_page, plain)
    assert accented_pages, f"no page found for {accented!r}: the site should use this term"
    assert plain_pages, f"{plain!r} finds nothing, while {accented!r} finds {accented_pages}"
    # without diacritics a query matches more words ("do" also matches "đó"), so it may find more
    # pages, but never fewer, and the best page for the accented query stays near the top
    assert set(accented_pages) <= set(plain_pages)
    assert accented_pages[0] in plain_pages[:3]
    # highlights land on whole words as written, with their diacritics
    words = tuple(plain.split())
    marked = [re.search(r"\w+", fold(m).lower()) for m in marks]  # a mark may hold "->" before its word
    assert marks and all(w and w.group(0).startswith(words) for w in marked), marks
    assert any(fold(m) != m for m in marks), marks


def test_search_result_opens_with_words_with_diacritics_highlighted(browser, served):
    context, record = browserkit.new_context(browser)
    page = browserkit.open_page(context, served)
    pages, _ = browserkit.search(page, "lan truyen nguoc")
    browserkit.click(page.locator(".md-search-result__link").first)
    page.wait_for_function("() => document.querySelectorAll('article mark').length > 0", timeout=10000)
    browserkit.lay_out(page)  # a mark in a block not laid out has no innerText
    marks = page.locator("article mark").all_inner_texts()
    context.close()
    assert any(fold(m).lower() == "truyen" and m.lower() == "truyền" for m in marks), marks
    assert all(fold(m).lower().startswith(("lan", "truyen", "nguoc")) for m in marks), marks
    assert not record.console_errors and not record.failed and not record.foreign


def test_search_accepts_decomposed_letters(search_page):
    import unicodedata

    composed, _ = browserkit.search(search_page, "truyền ngược")
    decomposed, _ = browserkit.search(search_page, unicodedata.normalize("NFD", "truyền ngược"))
    assert composed and set(decomposed) == set(composed)


def _explorer(page):
    """The content tabs of the learning-rate explorer: (radio inputs, blocks, label texts)."""
    tabs = page.locator(".tabbed-set", has=page.locator("label", has_text="η ="))
    assert tabs.count() == 1
    return tabs.locator("> input"), tabs.locator(".tabbed-block"), tabs.locator("label").all_inner_texts()


def _visible_block(blocks):
    visible = [i for i in range(blocks.count()) if blocks.nth(i).is_visible()]
    assert len(visible) == 1, visible
    return visible[0]


@pytest.mark.parametrize("scheme", browserkit.SCHEMES)
def test_explorer_by_keyboard(browser, served, outputs, scheme):
    values = outputs("lr_explorer")
    context, record = browserkit.new_context(browser, scheme=scheme)
    page = browserkit.open_page(context, served + "vong-lap-huan-luyen/")
    inputs, blocks, labels = _explorer(page)
    assert labels == [f"η = {rate}" for rate in values["rates"]]
    # start at the last focusable element before the tabs, then reach them with Tab
    page.evaluate(
        """first => {
            const all = [...document.querySelectorAll("a[href], button, input, [tabindex]")];
            const before = all.filter(el => el.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING);
            for (const el of before.reverse()) {
                el.focus();
                if (document.activeElement === el) return;
            }
        }""",
        inputs.first.element_handle(),
    )
    for _ in range(10):
        page.keyboard.press("Tab")
        if inputs.first.evaluate("el => el === document.activeElement"):
            break
    assert inputs.first.evaluate("el => el === document.activeElement"), "Tab never reaches the tabs"
    for i, (xs, losses) in enumerate(zip(values["xs"], values["losses"])):
        if i:
            page.keyboard.press("ArrowRight")
        assert inputs.nth(i).is_checked()
        block = blocks.nth(_visible_block(blocks))
        block.scroll_into_view_if_needed()  # lazy images load once near the viewport
        image = block.locator(f'img[src$="rate-{i}-{scheme}.svg#only-{scheme}"]')
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.is_visible()
        other = "dark" if scheme == "light" else "light"
        assert not block.locator(f'img[src$="#only-{other}"]').is_visible()
        rows = block.locator("tbody tr").all_inner_texts()
        last = rows[-1].split("\t")
        assert float(last[1]) == pytest.approx(xs[-1], abs=1e-4)
        assert float(last[2]) == pytest.approx(losses[-1], abs=1e-4)
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


def test_explorer_without_javascript_shows_the_default_rate(browser, served):
    context, record = browserkit.new_context(browser, javascript=False)
    page = browserkit.open_page(context, served + "vong-lap-huan-luyen/")
    inputs, blocks, _ = _explorer(page)
    assert _visible_block(blocks) == 0
    blocks.first.scroll_into_view_if_needed()
    image = blocks.first.locator('img[src$="rate-0-light.svg#only-light"]')
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.is_visible()
    context.close()
    assert not record.failed and not record.foreign


def test_every_figure_has_its_size_before_it_loads(browser, served, site):
    """With every image held back, each figure of every page that has one already takes the height
    its image will have (width and height attributes give the aspect ratio): nothing moves when the
    images arrive. The print page (every chapter again) is left out."""
    pages = [
        p
        for p in localsite.site_pages(site)
        if p != "ban-in/" and "<img" in open(os.path.join(site, p, "index.html"), encoding="utf-8").read()
    ]
    context, _ = browserkit.new_context(browser, "phone", "light")
    # held back, never answered: an image still on its way (an aborted one is a broken image, which
    # chromium lays out around its alt text instead)
    held = []

    def hold(route):
        held.append(route.request.url)

    context.route(re.compile(r".*\.(svg|png|jpe?g|webp|gif)([?#].*)?$"), hold)
    page = context.new_page()
    boxes = []
    for path in pages:
        page.goto(served + path, wait_until="domcontentloaded")
        boxes += page.evaluate(
            """path => [...document.images]
                .filter(img => img.offsetParent !== null)
                .map(img => ({page: path, src: img.getAttribute('src'), w: img.clientWidth, h: img.clientHeight,
                              attr: img.getAttribute('width') / img.getAttribute('height')}))""",
            path,
        )
    context.close()
    assert held and len(pages) > 40 and len(boxes) > 60, (len(held), len(pages), len(boxes))
    for box in boxes:
        assert box["h"] > 20, box  # laid out at its own height, not collapsed to nothing
        assert abs(box["w"] / box["h"] - box["attr"]) < 0.05 * box["attr"], box


def test_wide_code_is_reachable_by_keyboard_on_a_touch_screen(browser, served):
    """A phone has no hovering pointer, yet its reader may have a keyboard or switch access: every
    code block wider than the screen is in the tab order there too, so the arrow keys can scroll
    it (axe: scrollable-region-focusable)."""
    context, _ = browserkit.new_context(browser, viewport="phone", touch=True)
    for path in ("lan-truyen-nguoc/", "vong-lap-huan-luyen/", "loi-thuong-gap/"):
        page = browserkit.open_page(context, served + path)
        assert not page.evaluate("matchMedia('(hover)').matches")
        code = page.evaluate(
            """() => [...document.querySelectorAll(".md-typeset pre > code")]
                .filter(code => code.scrollWidth > code.clientWidth + 1)
                .map(code => code.getAttribute("tabindex"))"""
        )
        assert code and all(tabindex == "0" for tabindex in code), (path, code)
        page.add_script_tag(path=browserkit.AXE)
        unreachable = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: "rule", values: ["scrollable-region-focusable"]}}))
                .violations.flatMap(v => v.nodes.map(n => n.target.join(" ")))"""
        )
        assert not unreachable, (path, unreachable)
        page.close()
    context.close()
