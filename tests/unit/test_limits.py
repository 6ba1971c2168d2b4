"""What one snippet may use: printed lines shown on a page, and memory (execdocs/run/limits.py)."""

import json
import os
import shutil
import textwrap

import pytest

from conftest import ROOT
from execdocs.run import limits
from execdocs.run.limits import cut_outputs
from execdocs.run.runner import Runner, SnippetFailure


@pytest.fixture
def project(tmp_path, snippet_worker):
    snippets = tmp_path / "snippets"
    shutil.copytree(os.path.join(ROOT, "snippets", "sitekit"), snippets / "sitekit")

    def write(name, code):
        (snippets / f"{name}.py").write_text(textwrap.dedent(code))

    write.root = tmp_path
    write.out = tmp_path / "_build" / "out"
    write.worker = snippet_worker
    return write


def run(project, *names, warm_worker=True):
    worker = project.worker if warm_worker else None
    runner = Runner(str(project.root), device="cpu", jobs=1, log=lambda _: None, warm_worker=warm_worker, worker=worker)
    return runner.run(list(names))


def test_cut_output_keeps_the_first_lines_and_says_how_many_more():
    text = "".join(f"line {i}\n" for i in range(10))
    shown, cut = limits.cut_output(text, 4)
    assert cut == 6 and shown.startswith("line 0\nline 1\nline 2\nline 3\n") and "line 4" not in shown
    assert "còn 6 dòng nữa" in shown.splitlines()[-1]
    assert limits.cut_output(text, 10) == (text, 0)


def test_a_snippet_printing_too_much_is_cut_on_its_page_and_warned_about(project):
    project("noisy", 'import sitekit\n\n# %% loud\nfor i in range(50_000):\n    print("dòng", i)\n')
    run(project, "noisy")
    out = (project.out / "noisy" / "loud.out.md").read_text(encoding="utf-8")
    assert out.count("\n") < limits.DEFAULT_OUTPUT_LINES + 10 and "dòng 299\n" in out and "dòng 300\n" not in out
    assert f"còn {50_000 - limits.DEFAULT_OUTPUT_LINES} dòng nữa" in out
    (warning,) = cut_outputs(str(project.out))
    assert (
        warning.startswith("snippets/noisy.py:4: cell 'loud' printed 49700 line(s) more")
        and "output-lines=N" in warning
    )
    run(project, "noisy")  # from the cache: it still warns
    assert cut_outputs(str(project.out)) == [warning]


def test_the_output_limit_is_raised_by_a_directive(project):
    project("long", "# sitekit: output-lines=1000\nimport sitekit\n\nfor i in range(800):\n    print(i)\n")
    run(project, "long")
    assert "799\n" in (project.out / "long" / "head.out.md").read_text() and cut_outputs(str(project.out)) == []


@pytest.mark.parametrize("warm_worker", [True, False])
def test_a_snippet_over_its_memory_limit_is_a_named_error(project, warm_worker):
    project(
        "greedy",
        """\
        # sitekit: memory-gb=1
        import torch
        import sitekit

        big = torch.ones(2 * 2**30, dtype=torch.uint8)  # 2 GB: twice its limit
        sitekit.report("sum", big.sum())
        """,
    )
    with pytest.raises(SnippetFailure) as failure:
        run(project, "greedy", warm_worker=warm_worker)
    message = str(failure.value)
    assert "snippets/greedy.py:5: MemoryLimit: snippets/greedy.py used more than 1 GB" in message, message
    assert "memory-gb=N" in message
    assert not (project.out / "greedy").exists()


def test_within_its_limit_a_snippet_allocates_freely_and_the_default_is_stated(project):
    project("modest", "import torch\nimport sitekit\n\nsitekit.report('n', torch.ones(2**27).numel())\n")  # 512 MB
    run(project, "modest")
    assert json.loads((project.out / "modest" / "values.json").read_text()) == {"n": 2**27}
    assert limits.DEFAULT_MEMORY_GB == 4


def test_a_bad_directive_is_named(project):
    project("odd", "# sitekit: memory-gb=lots\nimport sitekit\n")
    with pytest.raises(
        SnippetFailure, match=r"snippets/odd.py:1: `# sitekit: memory-gb=lots`: expected a positive number"
    ):
        run(project, "odd")
