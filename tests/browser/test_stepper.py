"""The backward-pass steppers in chromium: every step by the buttons and by the arrow keys, each number
against the values the snippet recorded from torch (_build/out/NAME/values.json), the table that
stands in without JavaScript, and a 375 px phone in both schemes."""

import re
import urllib.request

import numpy as np
import pytest

import browserkit

STEPPERS = {"quy-tac-chuoi/": "stepper_worked", "lan-truyen-nguoc/": "stepper_two_layer"}


def numbers(text):
    plain = text.replace("\u2212", "-").replace("∂", " ")
    return [float(n) for n in re.findall(r"(?<![\w₀-₉])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", plain)]


def expected_numbers(values, step):
    """The numbers a step must end with: the node's value (forward) or gradient (backward), first
    three entries of a tensor."""
    node = next(n for n in values["graph"]["nodes"] if n["id"] == step["node"])
    value = node["value"] if step["phase"] == "forward" else node["grad"]
    return [value] if np.ndim(value) == 0 else list(np.ravel(value)[:3])


def stepper(page):
    box = page.locator(".stepper[data-ready]")
    assert box.count() == 1
    return box


def check_shown(page, box, values, index):
    step = values["steps"][index]
    phase = "lượt xuôi" if step["phase"] == "forward" else "lượt ngược"
    count = f"Bước {index + 1}/{len(values['steps'])}, {phase}:"
    assert box.locator(".stepper__count").inner_text() == count
    shown = box.locator(".stepper__text").inner_text()
    assert shown == step["text"]
    want = expected_numbers(values, step)
    assert numbers(shown)[-len(want) :] == pytest.approx(want, rel=1e-3, abs=1e-9), shown
    if step["phase"] == "backward" and step["edges"]:  # scalars: the factors are the recorded ones
        edge = values["graph"]["edges"][step["edges"][0]]
        if edge["local"] is not None:
            parent = next(n for n in values["graph"]["nodes"] if n["id"] == edge["target"])
            assert numbers(shown)[-3:-1] == pytest.approx([parent["grad"], edge["local"]]), shown
    active = box.locator(".stepper__node.is-active")
    assert active.count() == 1 and active.get_attribute("data-node") == step["node"]
    used = sorted(
        int(e) for e in box.locator(".stepper__edge.is-used").evaluate_all("els => els.map(e => e.dataset.edge)")
    )
    assert used == sorted(step["edges"])
    assert box.locator("[aria-live=polite]").count() == 1


@pytest.mark.parametrize("path", STEPPERS)
def test_every_step_by_the_buttons(browser, served, outputs, path):
    values = outputs(STEPPERS[path])
    context, record = browserkit.new_context(browser)
    page = browserkit.open_page(context, served + path)
    box = stepper(page)
    before, after = box.get_by_role("button", name="Trước"), box.get_by_role("button", name="Sau")
    last = len(values["steps"]) - 1
    check_shown(page, box, values, 0)
    assert before.get_attribute("aria-disabled") == "true"
    for index in range(1, last + 1):
        browserkit.click(after)
        check_shown(page, box, values, index)
    assert after.get_attribute("aria-disabled") == "true"
    after.click(force=True)  # past the end: nothing moves
    check_shown(page, box, values, last)
    for index in range(last - 1, -1, -1):
        browserkit.click(before)
        check_shown(page, box, values, index)
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


@pytest.mark.parametrize("path", STEPPERS)
def test_every_step_by_the_arrow_keys(browser, served, outputs, path):
    values = outputs(STEPPERS[path])
    context, record = browserkit.new_context(browser, scheme="dark")
    page = browserkit.open_page(context, served + path)
    box = stepper(page)
    # reach the box with Tab from the element just before it, as a keyboard user does
    page.evaluate(
        """box => {
            const all = [...document.querySelectorAll("a[href], button, input, [tabindex]")];
            const before = all.filter(el => el.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING);
            for (const el of before.reverse()) { el.focus(); if (document.activeElement === el) return; }
        }""",
        box.element_handle(),
    )
    for _ in range(10):
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    assert box.evaluate("el => el === document.activeElement"), "Tab never reaches the stepper"
    assert box.get_attribute("role") == "group" and box.get_attribute("aria-label")
    last = len(values["steps"]) - 1
    for index in range(1, last + 1):
        page.keyboard.press("ArrowRight")
        check_shown(page, box, values, index)
    page.keyboard.press("ArrowRight")
    check_shown(page, box, values, last)
    for index in range(last - 1, -1, -1):
        page.keyboard.press("ArrowLeft")
        check_shown(page, box, values, index)
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


@pytest.mark.parametrize("path", STEPPERS)
def test_without_javascript_the_table_has_every_step(browser, served, outputs, path):
    values = outputs(STEPPERS[path])
    context, record = browserkit.new_context(browser, javascript=False)
    page = browserkit.open_page(context, served + path)
    box = page.locator(".stepper")
    assert box.count() == 1 and not box.locator(".stepper__panel").is_visible()
    assert box.locator("svg.stepper__graph").is_visible()  # the graph is still drawn
    table = page.locator("table", has=page.locator("th", has_text="Phép tính"))
    assert table.count() == 1 and table.is_visible()
    rows = [r.split("\t") for r in table.locator("tbody tr").all_inner_texts()]
    assert len(rows) == len(values["steps"])
    for number, (row, step) in enumerate(zip(rows, values["steps"]), 1):
        assert row[0] == str(number) and row[2] == step["name"] and row[3] == step["text"]
        assert row[1] == ("xuôi" if step["phase"] == "forward" else "ngược")
        want = expected_numbers(values, step)
        assert numbers(row[3])[-len(want) :] == pytest.approx(want, rel=1e-3, abs=1e-9)
    context.close()
    assert not record.failed and not record.foreign


@pytest.mark.parametrize("scheme", browserkit.SCHEMES)
@pytest.mark.parametrize("path", STEPPERS)
def test_phone_in_both_schemes(browser, served, outputs, path, scheme):
    values = outputs(STEPPERS[path])
    context, record = browserkit.new_context(browser, "phone", scheme)
    page = browserkit.open_page(context, served + path)
    box = stepper(page)
    box.scroll_into_view_if_needed()
    after = box.get_by_role("button", name="Sau")
    for _ in range(len(values["steps"]) - 1):  # the longest texts come last
        browserkit.click(after)
        width = box.evaluate("el => el.getBoundingClientRect().right")
        assert width <= 375
    overflow = browserkit.sideways_overflow(page)
    assert overflow["scroll"] <= 0 and not overflow["offenders"], overflow
    # the graph keeps to the width of the phone and stays readable: its node names take real space
    graph = box.locator("svg.stepper__graph").bounding_box()
    assert graph["width"] <= 375 and graph["height"] > 200
    colours = box.evaluate(
        """el => [getComputedStyle(el.querySelector('.stepper__node rect')).stroke,
                  getComputedStyle(el.querySelector('.stepper__node.is-active rect')).stroke,
                  getComputedStyle(el).color]"""
    )
    assert colours[0] == colours[2] != colours[1]  # currentColor follows the scheme; the active node stands out
    browserkit.screenshot(page, path + "stepper", "phone", scheme)
    assert not browserkit.axe_violations(page)
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign


def test_instant_navigation_sets_the_stepper_up(browser, served):
    """Material swaps pages without reloading: stepper.js is fetched when the first page with a
    stepper arrives, once, and sets up the next one too; pages without a stepper never fetch it."""
    context, record = browserkit.new_context(browser)
    fetched = []
    context.on("request", lambda r: r.url.endswith("stepper.js") and fetched.append(r.url))

    def local_sitemap(route):  # Material navigates instantly only to the pages its sitemap lists
        with urllib.request.urlopen(route.request.url) as response:
            body = response.read().decode()
        route.fulfill(
            status=200, content_type="application/xml", body=re.sub(r"https://[^<]*?/lan-truyen-nguoc/", served, body)
        )

    context.route("**/sitemap.xml", local_sitemap)
    page = browserkit.open_page(context, served + "gradient/")
    assert not fetched and page.locator(".stepper").count() == 0
    page.evaluate("() => { window.notReloaded = true; }")
    browserkit.click(page.locator('a[href$="quy-tac-chuoi/"]').first)
    page.wait_for_selector(".stepper[data-ready]")
    assert page.evaluate("() => window.notReloaded") and len(fetched) == 1  # instant: no reload
    browserkit.click(page.locator('a[href$="lan-truyen-nguoc/"]').first)
    page.wait_for_selector('.stepper[data-stepper="stepper-two-layer-data"][data-ready]')
    browserkit.click(page.get_by_role("button", name="Sau"))
    assert page.locator(".stepper__count").inner_text().startswith("Bước 2/")
    assert len(fetched) == 1 and page.evaluate("() => window.notReloaded")
    context.close()
    assert not record.console_errors and not record.failed and not record.foreign
