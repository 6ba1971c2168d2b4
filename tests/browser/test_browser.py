"""The built site as a reader gets it: every page in Debian's chromium, served over localhost.

Every page is opened on a desktop and a 375 px phone, in the light theme, and then follows the device
into the dark theme in place, with every other host unreachable. Screenshots of all of them go to _build/screenshots/ for a person to look at.
Skipped without chromium, except in CI (CI=true), where a missing browser is a failure.
"""

import os

import pytest

import browserkit
import localsite


@pytest.fixture(scope="session")
def audit(browser, served, site):
    """Every page, once per viewport and theme: {(page, viewport, scheme): findings}.

    The notebook pages (one per snippet, all from one template and one shared stylesheet) take
    one combination each, in turn, so that every page is opened and every combination is seen on
    a quarter of them; the lesson pages and the notebooks' overview take all four. The visits are
    shared among browsers in separate processes, one per core (browserkit.audit_pages)."""
    browserkit.clear_screenshots()
    combinations = [(v, s) for v in browserkit.VIEWPORTS for s in browserkit.SCHEMES]
    visits = []
    for number, page_path in enumerate(localsite.site_pages(site)):
        notebook = page_path.startswith("notebooks/") and page_path != "notebooks/"
        # the print page is every chapter again, each audited on its own page in all four combinations
        one_combination = notebook or page_path == "ban-in/"
        for viewport, scheme in [combinations[number % len(combinations)]] if one_combination else combinations:
            visits.append((page_path, viewport, scheme))
    return browserkit.audit_pages(served, visits)


def _problems(audit, key):
    return {f"{p} ({v}, {s})": f[key] for (p, v, s), f in audit.items() if f.get(key)}


def test_pages_were_found(audit, site):
    pages = {p for p, _, _ in audit}
    assert "/" in pages and "vong-lap-huan-luyen/" in pages, pages
    assert pages == {p or "/" for p in localsite.site_pages(site)}  # every page, in one combination at least
    notebooks = {(v, s) for p, v, s in audit if p.startswith("notebooks/") and p != "notebooks/"}
    assert len(notebooks) == 4  # each combination is seen on some notebook pages


def test_no_console_errors(audit):
    assert not _problems(audit, "console")


def test_no_failed_requests(audit):
    assert not _problems(audit, "failed")


def test_no_request_to_another_host(audit):
    assert not _problems(audit, "foreign")


def test_every_image_loads(audit):
    assert not _problems(audit, "broken_images")


def test_formulas_are_rendered(audit):
    assert not _problems(audit, "math")


def test_no_serious_accessibility_violation(audit):
    assert not _problems(audit, "axe")


def test_phone_pages_do_not_scroll_sideways(audit):
    wide = {k: v for k, v in _problems(audit, "overflow").items() if v["scroll"] > 0 or v["offenders"]}
    assert not wide
    stuck = {k: v["stuck"] for k, v in _problems(audit, "wide").items() if v["stuck"]}
    assert not stuck
    # the check is not empty: the training-loop page has wide formulas that scroll in their box
    assert audit[("vong-lap-huan-luyen/", "phone", "light")]["wide"]["scrolling"] > 0


def test_the_second_theme_is_audited_for_what_a_theme_changes(audit):
    """A page's second theme in a viewport gets axe's colour rules over the page and every rule
    around what only that theme shows (its figures, the palette button), unless anything else
    differs from the first theme: then every rule over the page (browserkit.audit_visits)."""
    scopes = {k: f["axe_scope"] for k, f in audit.items()}
    for (page, viewport, scheme), scope in scopes.items():
        first = (page, viewport, browserkit.SCHEMES[0])
        assert scope == "all" or (scheme != browserkit.SCHEMES[0] and first in scopes), (page, viewport, scheme)
    # the training-loop page's figures and the palette button are what its dark theme shows
    assert scopes[("vong-lap-huan-luyen/", "desktop", "dark")].startswith("colours, and all rules around ")


def test_screenshots_are_written(audit):
    for found in audit.values():
        assert os.path.getsize(found["screenshot"]) > 1000
