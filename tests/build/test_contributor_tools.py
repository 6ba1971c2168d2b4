"""What a contributor relies on: ruff, the pre-commit hooks, the CI workflow, the templates, the guide."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, mkdocs_build, read_page

BIN = os.path.dirname(sys.executable)
WORKFLOW = os.path.join(ROOT, ".github", "workflows", "site.yml")


def tool(name):
    path = os.path.join(BIN, name)
    if not os.path.exists(path):
        pytest.fail(f"{name} is missing: run `bash scripts/setup.sh` (it is pinned in requirements.txt)")
    return path


def pins():
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as fh:
        return dict(line.strip().split("==") for line in fh if "==" in line and not line.startswith("#"))


def test_python_files_pass_ruff_lint_and_format():
    lint = subprocess.run([tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [tool("ruff"), "format", "--check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, "run `.venv/bin/ruff format .`\n" + fmt.stdout + fmt.stderr


def test_pre_commit_config_is_valid_and_matches_the_pins():
    config_path = os.path.join(ROOT, ".pre-commit-config.yaml")
    done = subprocess.run([tool("pre-commit"), "validate-config", config_path], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(config_path, encoding="utf-8") as fh:
        hooks = {h["id"]: h for repo in yaml.safe_load(fh)["repos"] for h in repo["hooks"]}
    versions = pins()
    assert hooks["ruff-check"]["entry"].startswith("ruff check")
    assert hooks["ruff-format"]["entry"].startswith("ruff format")
    for hook_id, package in (("ruff-check", "ruff"), ("ruff-format", "ruff"), ("textchecks", "ftfy")):
        assert hooks[hook_id]["additional_dependencies"] == [f"{package}=={versions[package]}"]
    text = hooks["textchecks"]
    assert text["entry"] == "python scripts/textchecks.py"
    files = re.compile(text["files"])
    assert files.search("docs/gradient.md") and files.search("snippets/chain_rule.py")
    assert files.search("templates/page.md") and not files.search("scripts/textchecks.py")


def workflow():
    with open(WORKFLOW, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_workflow_passes_actionlint():
    done = subprocess.run([tool("actionlint"), "-no-color", WORKFLOW], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_really_checks(tmp_path):
    with open(WORKFLOW, encoding="utf-8") as fh:
        text = fh.read()
    broken = tmp_path / "site.yml"
    broken.write_text(text.replace("github.event_name == 'push'", "github.event_nam == 'push'"))
    line = broken.read_text().split("\n").index(next(t for t in broken.read_text().split("\n") if "event_nam " in t))
    done = subprocess.run([tool("actionlint"), "-no-color", str(broken)], capture_output=True, text=True)
    assert done.returncode != 0
    assert f"site.yml:{line + 1}:" in done.stdout and "event_nam" in done.stdout


def test_workflow_tests_pull_requests_and_deploys_main_to_gh_pages():
    data = workflow()
    assert "pull_request" in data["on"] and data["on"]["push"]["branches"] == ["main"]
    test_steps = [s.get("run", "") for s in data["jobs"]["test"]["steps"]]
    assert any(run.strip() == "bash .ci/run" for run in test_steps)
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert "github.event_name == 'push'" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"]["contents"] == "write"
    runs = "\n".join(s.get("run", "") for s in deploy["steps"])
    assert re.search(r"mkdocs gh-deploy --force\b.*--remote-branch gh-pages", runs)
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as fh:
        assert ".venv/bin/python -m pytest" in fh.read()  # the README's test command


def test_a_page_and_a_snippet_from_the_templates_build(tmp_path, warm_copy):
    """What the contribute page tells a newcomer to do, done literally."""
    project = warm_copy(warm=True)
    shutil.copy(os.path.join(ROOT, "templates", "snippet.py"), os.path.join(project, "snippets", "newcomer_square.py"))
    with open(os.path.join(ROOT, "templates", "page.md"), encoding="utf-8") as fh:
        page = fh.read().replace("ten_snippet", "newcomer_square")
    with open(os.path.join(project, "docs", "trang-moi.md"), "w", encoding="utf-8") as fh:
        fh.write(page)
    config = os.path.join(project, "mkdocs.yml")
    with open(config, encoding="utf-8") as fh:
        text = fh.read()
    with open(config, "w", encoding="utf-8") as fh:
        fh.write(text.replace("nav:\n", "nav:\n  - Trang mới: trang-moi.md\n", 1))
    site = str(tmp_path / "site")
    done = mkdocs_build(project, site)
    assert done.returncode == 0, done.stdout + done.stderr
    html = read_page(site, "trang-moi")
    text = re.sub(r"<[^>]+>", "", html)  # terms may be wrapped in <abbr> by the glossary
    assert "autograd cho 2.0000" in text  # the value came from the run: d(x²)/dx = 2x = 2 at x = 1
    assert 'src="../out/newcomer_square/grad-light.svg#only-light"' in html
    assert 'src="../out/newcomer_square/grad-dark.svg#only-dark"' in html
    assert os.path.exists(os.path.join(site, "out", "newcomer_square", "grad-dark.svg"))
    assert 'class="katex' in html


def test_template_snippet_runs_alone_and_is_right(tmp_path):
    snippets = tmp_path / "snippets"
    shutil.copytree(os.path.join(ROOT, "snippets", "sitekit"), snippets / "sitekit")
    shutil.copy(os.path.join(ROOT, "templates", "snippet.py"), snippets / "square.py")
    done = subprocess.run([sys.executable, str(snippets / "square.py")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "x.grad = 2.0000" in done.stdout


CHECK_MESSAGES = [
    "mojibake",
    "text not in Unicode NFC",
    "invisible character",
    "replacement character U+FFFD",
    "not valid UTF-8",
    "raw <script> in a page",
    "asset loaded from another host",
    "KaTeX cannot render the formula",
    "contains a link",
    "does not contain an anchor",
    "included file not found",
    "no page uses this snippet",
    "reported no value",
    "SyntaxError",
    "is nan",
    "Timeout: still running after",
    "but nothing was raised",
    "never published",
]


@pytest.mark.parametrize("message", CHECK_MESSAGES)
def test_the_contribute_page_explains_every_check(message):
    with open(os.path.join(ROOT, "docs", "dong-gop.md"), encoding="utf-8") as fh:
        assert message in fh.read()


def test_the_contribute_page_is_built_and_in_the_navigation(site):
    html = read_page(site, "dong-gop")
    for heading in ("Thêm một snippet", "Thêm một trang", "Đưa một con số vào trang", "Thêm một đồ thị"):
        assert heading in html
    assert "{{ train_loop.final_loss:.4f }}" in html  # shown as syntax, not replaced
    assert '--8&lt;-- "out/gradient_square/gradient.md"' in html
    with open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8") as fh:
        assert "- Đóng góp: dong-gop.md" in fh.read()
