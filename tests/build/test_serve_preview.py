"""`mkdocs serve` with the preview (execdocs/serve/preview.py): an edited page, or a page that uses
an edited snippet, is served before the full build that follows, which then still runs and
checks everything; requests answered during that build never fail it; anything the preview
cannot do alone (a new file, a mistake) is left to the full build, which reports it."""

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import MKDOCS
from localsite import free_port

DEADLINE = 240  # seconds for any one wait: the first build of a warm copy, the worker's torch


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return None, ""


class Serve:
    def __init__(self, project):
        self.project = project
        self.log_path = os.path.join(project, "serve.log")
        port = free_port()
        self.base = f"http://127.0.0.1:{port}/lan-truyen-nguoc/"
        self.log = open(self.log_path, "w")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        self.wait(lambda: "snippets: warm worker ready" in self.text() and fetch(self.base)[0] == 200, "serve")

    def text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def wait(self, condition, what):
        deadline = time.monotonic() + DEADLINE
        while not condition():
            assert self.process.poll() is None, f"mkdocs serve stopped:\n{self.text()[-3000:]}"
            assert time.monotonic() < deadline, f"waited {DEADLINE} s for {what}:\n{self.text()[-3000:]}"
            time.sleep(0.05)

    def builds(self):
        return self.text().count("Reloading browsers")

    def page(self, name):
        return fetch(self.base + name + "/")

    def close(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def serving(warm_copy):
    server = Serve(warm_copy(warm=True))
    yield server
    server.close()


def append(path, text):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def test_an_edit_is_served_before_the_full_build_which_still_runs(serving):
    docs = os.path.join(serving.project, "docs")
    # a page's prose
    done = serving.builds()
    append(os.path.join(docs, "gradient.md"), "\nMột đoạn mới để thử bản xem trước.\n")
    serving.wait(lambda: "Một đoạn mới để thử bản xem trước." in serving.page("gradient")[1], "the edited prose")
    # meanwhile the copy answers requests, a missing page too (a warning of the server's)
    serving.wait(lambda: fetch(serving.base + "khong-co/")[0] == 404 and serving.builds() > done, "the full build")
    log = serving.text()
    assert "preview: gradient.md (the full build follows)" in log
    assert "Aborted" not in log and "error happened" not in log
    status, page = serving.page("gradient")
    assert status == 200 and "Một đoạn mới để thử bản xem trước." in page  # the full build's page
    assert serving.page("toi-uu")[0] == 200  # and the rest of the site

    # a snippet some page uses: it runs, and the page that shows its output is previewed
    done = serving.builds()
    with open(os.path.join(serving.project, "snippets", "naive_nudge.py"), encoding="utf-8") as fh:
        source = fh.read()
    marker = "preview-marker-naive-nudge"
    cells = source.split("\n# %%")
    assert len(cells) > 1
    cells[1] = cells[1].rstrip("\n") + f'\nprint("{marker}")\n'
    with open(os.path.join(serving.project, "snippets", "naive_nudge.py"), "w", encoding="utf-8") as fh:
        fh.write("\n# %%".join(cells))
    serving.wait(lambda: serving.builds() > done, "the full build after the snippet edit")
    log = serving.text()
    before_the_build = log.split("Reloading browsers")[-2]
    assert re.search(r"preview: [^\n]*gradient\.md", before_the_build)
    # the preview ran the edited snippet alone, not a plan of every snippet
    assert "snippets: 1 ran, 0 from cache" in before_the_build.split("preview:")[0]
    assert "Aborted" not in log

    # a new page: no preview, the full build alone (and it warns: the page is not in the nav)
    done = serving.builds()
    append(os.path.join(docs, "trang-moi.md"), "# Trang mới\n")
    serving.wait(lambda: "Detected file changes" in serving.text().split("Reloading browsers")[-1], "the change")
    serving.wait(lambda: "error happened" in serving.text().split("Reloading browsers")[-1], "the strict failure")
    last = serving.text().split("Reloading browsers")[-1]
    assert "preview:" not in last and "trang-moi.md" in last
    os.remove(os.path.join(docs, "trang-moi.md"))
    serving.wait(lambda: serving.builds() > done, "the build after the fix")

    # a mistake in a page: no preview is shown, the full build names the file and line
    done = serving.builds()
    append(os.path.join(docs, "gradient.md"), "\nGiá trị không có: {{ naive_nudge.khong_co_gia_tri }}.\n")
    serving.wait(lambda: "error happened" in serving.text().split("Reloading browsers")[-1], "the failed build")
    last = serving.text().split("Reloading browsers")[-1]
    assert "preview:" not in last and "docs/gradient.md:" in last and "khong_co_gia_tri" in last
    assert serving.builds() == done
