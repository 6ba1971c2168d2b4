"""The downloaded site, unzipped and opened from the disk (file://), in chromium: pages, links,
formulas and figures work with no server and no connection."""

import os
import zipfile

import pytest

import browserkit
from execdocs.offline import archive, printpage


@pytest.fixture(scope="module")
def unzipped(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(os.path.join(site, printpage.ARCHIVE)) as zipped:
        zipped.extractall(folder)
    return folder / archive.TOP


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_from_the_disk_a_reader_follows_links_and_sees_formulas_and_figures(browser, unzipped, viewport):
    context, record = browserkit.new_context(browser, viewport)
    page = context.new_page()
    page.goto((unzipped / "index.html").as_uri(), wait_until="load")
    # reader.js sets the page up on Material's document$, which Material itself ends on file://
    # under instant navigation (the copy leaves it out)
    browserkit.ready(page, timeout=30000)
    browserkit.click(page.locator('article a[href="gradient/index.html"]').first)
    # wait for the new page itself: the load state right after a click can still be the old page's
    page.wait_for_url((unzipped / "gradient" / "index.html").as_uri(), wait_until="load")
    assert page.locator("article .katex").count() > 10
    assert browserkit.load_images(page) == []  # every figure of the page loads from the disk
    assert page.evaluate("[...document.images].filter(i => i.naturalWidth > 0).length") >= 2
    browserkit.click(page.locator('article a[href^="../quy-tac-chuoi/index.html"]').first)
    chapter = (unzipped / "quy-tac-chuoi" / "index.html").as_uri()
    page.wait_for_url(lambda url: url.startswith(chapter), wait_until="load")
    page.wait_for_selector(".stepper[data-ready]", timeout=30000)  # the page's own scripts run from the disk
    assert record.foreign == [] and record.failed == []
    context.close()


def test_from_the_disk_search_finds_pages_typed_without_diacritics(browser, unzipped):
    context, record = browserkit.new_context(browser, "desktop")
    page = context.new_page()
    errors = []  # the page's and the search worker's (in its frame, on file://) errors and warnings
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type in ("error", "warning") and errors.append(message.text))
    chromium_own = "crbug/1173575, non-JS module files deprecated."  # DevTools' note on any file:// page
    page.goto((unzipped / "gradient" / "index.html").as_uri(), wait_until="load")
    page.locator("input[data-md-component=search-query]").fill("lan truyen nguoc")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=30000)
    titles = results.all_inner_texts()
    assert any("Lan truyền ngược" in t for t in titles), titles[:3]
    browserkit.click(results.first.locator("a").first)
    page.wait_for_url(lambda url: url.startswith(unzipped.as_uri()) and "/gradient/" not in url, wait_until="load")
    assert [e for e in errors if e != chromium_own] == [] and record.foreign == [] and record.failed == []
    context.close()


def test_the_print_page_shows_every_chapter_with_light_figures_in_the_dark_theme(browser, unzipped):
    context, record = browserkit.new_context(browser, "phone", "dark")
    page = context.new_page()
    page.goto((unzipped / "ban-in" / "index.html").as_uri(), wait_until="load")
    assert page.locator("section.print-chapter").count() >= 20
    assert browserkit.load_images(page) == []
    shown = page.evaluate(
        "[...document.querySelectorAll('.print-chapter img')].filter(i => i.offsetParent !== null).length"
    )
    assert shown == page.locator(".print-chapter img").count() > 20  # none hidden by the theme or in a tab
    assert browserkit.sideways_overflow(page) == {"scroll": 0, "offenders": []}
    assert record.foreign == []
    context.close()
