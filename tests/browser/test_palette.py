"""The colour-scheme toggle (overrides/partials/palette.html and partials/javascripts/palette.html):
the scheme is set while the page is parsed, before any script at the end of the page (a reader with a
dark phone never sees the light page first), and the toggle works by pointer and by keyboard and is
remembered; until the reader chooses, the page follows the device's scheme, also when it changes."""

import browserkit

PAGE = "gradient/"
# the page's background in each scheme (Material's --md-default-bg-color)
BACKGROUNDS = {"default": "rgb(255, 255, 255)", "slate": "rgb(30, 33, 41)"}


def scheme_state(page):
    return page.evaluate(
        r"""() => ({
          scheme: document.body.getAttribute("data-md-color-scheme"),
          shown: Array.from(document.querySelectorAll("form[data-palette] label"))
            .filter(label => !label.hidden).map(label => label.getAttribute("for")),
          colorScheme: document.querySelector('meta[name="color-scheme"]').content,
          themeColor: document.querySelector('meta[name="theme-color"]').content,
          background: getComputedStyle(document.body).backgroundColor,
          header: "#" + getComputedStyle(document.querySelector("header")).backgroundColor
            .match(/\d+/g).slice(0, 3).map(c => (+c).toString(16).padStart(2, "0")).join(""),
        })"""
    )


def test_a_dark_phone_gets_the_dark_scheme_before_any_script_at_the_end_of_the_page(browser, served):
    context, _ = browserkit.new_context(browser, "phone", "dark")
    try:
        # no script file at all: Material's bundle and reader.js never run
        context.route("**/*.js", lambda route: route.abort())
        page = context.new_page()
        page.goto(served + PAGE, wait_until="domcontentloaded")
        state = scheme_state(page)
        assert state["scheme"] == "slate"
        assert state["shown"] == ["__palette_0"]  # the button back to the light scheme
        assert state["colorScheme"] == "dark"
        assert state["themeColor"] == state["header"] == "#4051b5"  # the browser's bar: the header's indigo
        assert state["background"] == BACKGROUNDS["slate"]
    finally:
        context.close()


def test_without_storage_the_device_scheme_is_used_and_the_toggle_still_works(browser, served):
    """A browser that refuses localStorage (storage blocked for the site) throws on every access."""
    context, _ = browserkit.new_context(browser, "phone", "dark")
    try:
        context.add_init_script(
            "Object.defineProperty(window, 'localStorage', "
            "{get() { throw new DOMException('storage is blocked', 'SecurityError'); }})"
        )
        page = browserkit.open_page(context, served + PAGE, laid_out=False)
        assert scheme_state(page)["scheme"] == "slate"
        browserkit.click(page.locator('label[for="__palette_0"]'))
        assert scheme_state(page)["scheme"] == "default"
        # (Material's own inline script for linked content tabs still throws once here: not ours to change)
    finally:
        context.close()


def test_the_toggle_switches_and_is_remembered_by_pointer_and_by_keyboard(browser, served):
    context, record = browserkit.new_context(browser, "desktop", "light")
    try:
        page = browserkit.open_page(context, served + PAGE, laid_out=False)
        state = scheme_state(page)
        assert (state["scheme"], state["shown"], state["colorScheme"]) == ("default", ["__palette_1"], "light")
        assert state["themeColor"] == state["header"] and state["background"] == BACKGROUNDS["default"]

        browserkit.click(page.locator('label[for="__palette_1"]'))
        state = scheme_state(page)
        assert (state["scheme"], state["shown"], state["colorScheme"]) == ("slate", ["__palette_0"], "dark")
        assert state["themeColor"] == state["header"] and state["background"] == BACKGROUNDS["slate"]
        page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')")

        page.reload(wait_until="domcontentloaded")  # the device still prefers light: the choice wins
        assert scheme_state(page)["scheme"] == "slate"

        page.locator("#__palette_1").focus()
        page.keyboard.press("Enter")
        state = scheme_state(page)
        assert (state["scheme"], state["shown"]) == ("default", ["__palette_1"])
        assert page.evaluate("document.activeElement.id") == "__palette_0"
        page.reload(wait_until="domcontentloaded")
        assert scheme_state(page)["scheme"] == "default"
        assert not record.console_errors and not record.failed
    finally:
        context.close()


def device_turns(page, scheme):
    """The device's preferred scheme changes while the page is open; returns once the page's own
    listeners have been told. (Media query lists are told of a change oldest first, with the next
    animation frame, on which wait_for_function polls.)"""
    page.evaluate(
        "scheme => matchMedia(`(prefers-color-scheme: ${scheme})`)"
        ".addEventListener('change', () => { window.deviceTurned = scheme; }, {once: true})",
        scheme,
    )
    page.emulate_media(color_scheme=scheme)
    page.wait_for_function("scheme => window.deviceTurned === scheme", arg=scheme, timeout=10_000)


def test_a_device_that_switches_its_scheme_is_followed_until_the_reader_chooses(browser, served):
    context, record = browserkit.new_context(browser, "phone", "light")
    try:
        page = browserkit.open_page(context, served + PAGE, laid_out=False)
        assert scheme_state(page)["scheme"] == "default"
        device_turns(page, "dark")  # the phone turns dark at night, the page open
        state = scheme_state(page)
        assert (state["scheme"], state["shown"], state["colorScheme"]) == ("slate", ["__palette_0"], "dark")
        assert state["background"] == BACKGROUNDS["slate"]
        device_turns(page, "light")
        assert scheme_state(page)["scheme"] == "default"

        browserkit.click(page.locator('label[for="__palette_1"]'))  # the reader chooses dark
        device_turns(page, "dark")
        device_turns(page, "light")  # and the device goes back to light: the choice stays
        assert scheme_state(page)["scheme"] == "slate"
        assert not record.console_errors and not record.failed
    finally:
        context.close()
