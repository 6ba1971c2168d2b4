"""The live learning-rate explorer (overrides/assets/javascripts/lr-live.js) in chromium.

The paths the browser computes for every (η, μ) that snippets/lr_live.py recorded with
torch.optim.SGD must be torch's; the sliders work by keyboard, in both colour schemes, on a 375 px
phone, after Material's instant navigation; without JavaScript the pages keep their fallback.
"""

import re

import pytest

import browserkit
from conftest import mkdocs_config

PAGES = {"line": "vong-lap-huan-luyen/", "valley": "toi-uu/"}
METHODS = ("sgd", "momentum", "nesterov")


@pytest.fixture(scope="module")
def live(outputs):
    return outputs("lr_live")


def widget(page, kind):
    """The widget, once set up: lr-live.js does that when it comes near the screen (its fallback
    figure, or where it is), so the reader's way there is taken first."""
    found = page.locator(f'[data-lr-live="{kind}"]')
    found.evaluate("el => (document.getElementById(el.dataset.fallback) || el.parentElement).scrollIntoView()")
    page.wait_for_function("el => el.lrLive !== undefined", arg=found.element_handle())
    return found


def test_a_widget_far_down_the_page_waits_until_the_reader_comes_near(browser, served):
    context, record = browserkit.new_context(browser, "phone")
    page = browserkit.open_page(context, served + PAGES["valley"], laid_out=False)
    browserkit.ready(page)  # the reader has not scrolled
    far = page.locator('[data-lr-live="valley"]')
    assert page.evaluate("el => el.lrLive === undefined && el.hidden", far.element_handle())
    found = widget(page, "valley")
    assert found.is_visible() and len(drawing(found)) == 3
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


def set_sliders(found, eta, mu):
    """Move both sliders as a pointer would (value, then an input event); the values they took."""
    return found.evaluate(
        """(el, [eta, mu]) => {
            for (const [name, value] of [["eta", eta], ["mu", mu]]) {
                const input = el.querySelector(`input[name=${name}]`);
                input.value = String(value);
                input.dispatchEvent(new Event("input", {bubbles: true}));
            }
            return [el.lrLive.eta, el.lrLive.mu];
        }""",
        [eta, mu],
    )


def state(found):
    return found.evaluate("el => el.lrLive")


def drawing(found):
    return found.evaluate("el => [...el.querySelectorAll('polyline')].map(p => p.getAttribute('points'))")


@pytest.mark.parametrize("kind", ["line", "valley"])
def test_the_browser_computes_torchs_paths(browser, served, live, kind):
    context, record = browserkit.new_context(browser)
    page = browserkit.open_page(context, served + PAGES[kind])
    found = widget(page, kind)
    assert found.is_visible()
    if kind == "valley":  # the script hides the figure that stands in for it without JavaScript
        assert not page.locator("#lr-live-valley-figure").is_visible()
    cases = live[f"{kind}_cases"]
    assert len(cases) >= 5
    for case in cases:
        assert set_sliders(found, case["eta"], case["mu"]) == [case["eta"], case["mu"]]
        paths = state(found)["paths"]
        for method in METHODS:
            assert len(paths[method]) == live[f"{kind}_steps"] + 1
            for mine, torchs in zip(paths[method], case[method]):
                assert mine == pytest.approx(torchs, rel=1e-6, abs=1e-6), (kind, case["eta"], case["mu"], method)
        assert len(drawing(found)) == 3
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


def test_the_verdict_uses_the_snippets_words(browser, served, outputs):
    explorer = outputs("lr_explorer")
    context, record = browserkit.new_context(browser)
    page = browserkit.open_page(context, served + PAGES["line"])
    found = widget(page, "line")
    verdict = found.locator("[data-verdict]")
    assert verdict.get_attribute("aria-live") == "polite"
    for rate, factor, words in zip(explorer["rates"], explorer["factors"], explorer["verdicts"]):
        set_sliders(found, rate, 0.5)
        text = verdict.inner_text()
        assert f"1 − 6η = {factor:+.2f}: {words}." in text, (rate, text)
    context.close()
    assert not record.console_errors


def contrast(one, two):
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(css):
    return [int(v) for v in re.findall(r"\d+", css)[:3]]


@pytest.mark.parametrize("scheme", browserkit.SCHEMES)
@pytest.mark.parametrize("kind", ["line", "valley"])
def test_sliders_by_keyboard_in_both_schemes(browser, served, live, kind, scheme):
    context, record = browserkit.new_context(browser, scheme=scheme)
    page = browserkit.open_page(context, served + PAGES[kind])
    found = widget(page, kind)
    start = state(found)
    assert [start["eta"], start["mu"]] == [live[f"{kind}_eta"][3], live[f"{kind}_mu"][3]]
    for name in ("eta", "mu"):
        slider = found.locator(f"input[name={name}]")
        slider.focus()
        before, drawn = state(found), drawing(found)
        step = live[f"{kind}_{name}"][2]
        page.keyboard.press("ArrowRight")
        after = state(found)
        assert after[name] == pytest.approx(before[name] + step)
        assert found.locator(f"output[for={slider.get_attribute('id')}]").inner_text() == slider.input_value()
        changed = [a != b for a, b in zip(drawing(found), drawn)]
        # η moves all three paths, μ only the two with momentum
        assert changed == ([True, True, True] if name == "eta" else [False, True, True]), name
        page.keyboard.press("ArrowLeft")
        assert state(found)[name] == pytest.approx(before[name])
        assert drawing(found) == drawn
    # every line of the drawing stands out from the page in this scheme
    colours = found.evaluate(
        """el => ({
            body: getComputedStyle(document.body).backgroundColor,
            paths: [...el.querySelectorAll("polyline")].map(p => getComputedStyle(p).stroke),
            text: getComputedStyle(el.querySelector("svg text")).fill,
        })"""
    )
    background = rgb(colours["body"])
    assert (sum(background) < 200) == (scheme == "dark"), colours
    for stroke in colours["paths"] + [colours["text"]]:
        assert contrast(rgb(stroke), background) >= 3, (scheme, stroke, colours)
    assert len(set(colours["paths"])) == 3
    assert not browserkit.axe_violations(page)
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


@pytest.mark.parametrize("scheme", browserkit.SCHEMES)
def test_phone_shows_the_widgets_without_sideways_scrolling(browser, served, scheme):
    context, record = browserkit.new_context(browser, "phone", scheme)
    for kind, path in PAGES.items():
        page = browserkit.open_page(context, served + path)
        found = widget(page, kind)
        found.scroll_into_view_if_needed()
        overflow = browserkit.sideways_overflow(page)
        assert overflow["scroll"] <= 0 and not overflow["offenders"], (path, overflow)
        box = found.locator("svg").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= browserkit.VIEWPORTS["phone"]["width"]
        assert box["height"] > 150
        assert not browserkit.axe_violations(page)
        page.close()
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


def local_sitemap(served):
    """Material navigates instantly only to the URLs of sitemap.xml, which name the site's real host
    (site_url); this makes them name the local server instead."""
    site_url = mkdocs_config()["site_url"]

    def fulfil(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(site_url, served))

    return fulfil


def test_instant_navigation_sets_up_each_widget(browser, served):
    """Material swaps the page content in place: the script must run again on each explorer page."""
    context, record = browserkit.new_context(browser)
    page = context.new_page()
    page.route("**/sitemap.xml", local_sitemap(served))
    page.goto(served, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { window.sameDocument = true; }")  # gone if a click loads a new document
    for kind, path in PAGES.items():
        browserkit.click(page.locator(f'.md-nav a[href$="{path}"]').first)
        page.wait_for_url(f"**/{path}")
        page.wait_for_function("kind => document.querySelector(`[data-lr-live=${kind}]`)", arg=kind)
        found = widget(page, kind)
        assert found.is_visible() and len(drawing(found)) == 3
        assert page.evaluate("() => window.sameDocument === true"), "the click reloaded the page"
    # and back to a page without one: nothing is left over, nothing fails
    browserkit.click(page.locator('.md-nav a[href$="/gradient/"]').first)
    page.wait_for_url("**/gradient/")
    page.wait_for_function("() => !document.querySelector('[data-lr-live]')")
    assert page.evaluate("() => window.sameDocument === true")
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


def test_without_javascript_the_fallbacks_stay(browser, served, outputs):
    explorer = outputs("lr_explorer")
    context, record = browserkit.new_context(browser, javascript=False)
    page = browserkit.open_page(context, served + PAGES["line"])
    assert not page.locator('[data-lr-live="line"]').is_visible()
    tabs = page.locator(".tabbed-set", has=page.locator("label", has_text="η ="))
    assert tabs.locator("label").all_inner_texts() == [f"η = {rate}" for rate in explorer["rates"]]
    assert tabs.locator(".tabbed-block").first.is_visible()
    page = browserkit.open_page(context, served + PAGES["valley"])
    assert not page.locator('[data-lr-live="valley"]').is_visible()
    figure = page.locator("#lr-live-valley-figure img[src$='valley-light.svg#only-light']")
    figure.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=figure.element_handle())
    assert figure.is_visible()
    context.close()
    assert not record.failed and not record.foreign
