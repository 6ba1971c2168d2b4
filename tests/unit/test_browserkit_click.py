"""browserkit.click: a click waits for two frames, and still clicks when the browser has stopped
drawing the page; every other reason a click cannot be made still fails. Playwright's page and
locator are stood in for, since a real browser cannot be told to stop its frames."""

import pytest

playwright = pytest.importorskip("playwright.sync_api")
import browserkit  # noqa: E402


class FakePage:
    def __init__(self, frames, frames_after_front=None):
        self.url = "http://127.0.0.1/quy-tac-chuoi/"
        self.frames = frames
        self.frames_after_front = frames if frames_after_front is None else frames_after_front

    def evaluate(self, script):
        assert script == browserkit.NEXT_FRAME_MS
        return 16.7 if self.frames else None

    def bring_to_front(self):
        self.frames = self.frames_after_front


class FakeButton:
    """A button whose normal click times out when the page draws no frame, or when it is unclickable."""

    def __init__(self, page, clickable=True, covered=False):
        self.page, self.clickable, self.covered = page, clickable, covered
        self.clicks = []

    def click(self, timeout, force=False):
        if not force and not (self.page.frames and self.clickable):
            raise playwright.TimeoutError("Locator.click: Timeout exceeded")
        self.clicks.append("forced" if force else "checked")

    def is_visible(self):
        return True

    def is_enabled(self):
        return True

    def evaluate(self, script):
        assert script == browserkit.HIT_AT_CENTRE
        return not self.covered


def test_a_page_that_draws_frames_is_clicked_with_every_check():
    button = FakeButton(FakePage(frames=True))
    browserkit.click(button)
    assert button.clicks == ["checked"]


def test_an_unclickable_button_on_a_page_that_draws_frames_still_fails():
    button = FakeButton(FakePage(frames=True), clickable=False)
    with pytest.raises(playwright.TimeoutError):
        browserkit.click(button)
    assert button.clicks == []


def test_a_page_without_frames_is_clicked_without_the_wait_and_warned_about():
    page = FakePage(frames=False)
    button = FakeButton(page)
    with pytest.warns(UserWarning, match="drew no frame"):
        browserkit.click(button)
    browserkit.click(button)  # known to draw no frame: no second wait of CLICK_TIMEOUT_MS
    assert button.clicks == ["forced", "forced"]
    page.frames = True  # frames again: the checked click again
    browserkit.click(button)
    assert button.clicks == ["forced", "forced", "checked"]


def test_a_page_whose_frames_come_back_when_brought_to_the_front_gets_the_checked_click():
    button = FakeButton(FakePage(frames=False, frames_after_front=True))
    browserkit.click(button)
    assert button.clicks == ["checked"]


def test_a_covered_button_on_a_page_without_frames_still_fails():
    button = FakeButton(FakePage(frames=False), covered=True)
    with pytest.warns(UserWarning), pytest.raises(AssertionError, match="covered"):
        browserkit.click(button)
    assert button.clicks == []
