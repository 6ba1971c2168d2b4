"""What a page asks for as it loads, in chromium (Lighthouse's mobile audit, scripts/benchlighthouse.py,
measures the effect): the search index only once the reader opens search, and no text that moves
when the web fonts arrive."""

import browserkit

INDEX = "search/search_index.json"
# a long page with inline formulas, code and a figure; slow 4G and a 4x slower CPU, as Lighthouse
PAGE = "gradient/"
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
LAYOUT_SHIFT = """window.__shift = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__shift += e.value; })
  .observe({type: "layout-shift", buffered: true});"""


def _requests(page):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    return asked


def test_search_index_waits_for_the_search_box(browser, served):
    context, record = browserkit.new_context(browser)
    page = context.new_page()
    asked = _requests(page)
    page.goto(served + PAGE, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert not [url for url in asked if INDEX in url], "the index is fetched before anyone searches"
    pages, _ = browserkit.search(page, "dao ham rieng")  # focuses the box, then types
    context.close()
    assert [url for url in asked if INDEX in url] and pages
    assert not record.console_errors and not record.failed and not record.foreign


def test_search_on_a_phone_starts_from_the_search_icon(browser, served):
    context, record = browserkit.new_context(browser, viewport="phone")
    page = context.new_page()
    asked = _requests(page)
    page.goto(served + PAGE, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert not [url for url in asked if INDEX in url]
    page.locator('label.md-header__button[for="__search"]').click()
    page.locator("input.md-search__input").press_sequentially("quy tac chuoi", delay=20)
    page.wait_for_function(
        "() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=60000
    )
    found = page.locator(".md-search-result__item").count()
    context.close()
    assert found > 0
    assert not record.console_errors and not record.failed and not record.foreign


def test_search_index_comes_at_once_for_highlighted_words(browser, served):
    context, record = browserkit.new_context(browser)
    page = context.new_page()
    asked = _requests(page)
    page.goto(served + PAGE + "?h=gradient", wait_until="load")
    page.wait_for_function("() => document.querySelectorAll('article mark').length > 0", timeout=20000)
    context.close()
    assert [url for url in asked if INDEX in url]
    assert not record.console_errors and not record.failed and not record.foreign


def test_text_barely_moves_when_the_fonts_arrive(browser, served):
    context, _ = browserkit.new_context(browser, viewport="phone")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.add_init_script(LAYOUT_SHIFT)
    page.goto(served + PAGE, wait_until="load")
    page.wait_for_timeout(2000)
    shift = page.evaluate("window.__shift")
    context.close()
    assert shift < 0.05, f"layout shift {shift:.3f} while {PAGE} loads (Lighthouse's target: CLS < 0.05)"
