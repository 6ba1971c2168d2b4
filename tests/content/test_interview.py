"""Interview questions: enough of them, the notes' five included, each answered with a link."""

import math
import os
import re

from conftest import ROOT, read_page

PAGE = os.path.join(ROOT, "docs", "phong-van.md")
FROM_THE_NOTES = (  # the five questions of the source notes, by a phrase each must contain
    "Quy tắc chuỗi là gì",
    "zero_grad()",
    "Lan truyền ngược và autograd khác nhau",
    "Gradient qua hàm sigmoid",
    "gradient bị tiêu biến",
)


def questions():
    with open(PAGE, encoding="utf-8") as fh:
        text = fh.read()
    blocks = re.split(r'^\?\?\? question "', text, flags=re.MULTILINE)[1:]
    return [(b.split('"\n', 1)[0], b.split('"\n', 1)[1]) for b in blocks]


def test_at_least_twenty_questions_including_the_notes():
    found = questions()
    assert len(found) >= 20
    titles = [title for title, _ in found]
    for phrase in FROM_THE_NOTES:
        assert any(phrase in t for t in titles), phrase


def test_every_answer_is_short_indented_and_links_to_where_it_is_shown():
    for title, body in questions():
        answer = body.split("\n## ", 1)[0].rstrip()
        lines = [line for line in answer.split("\n") if line.strip()]
        assert all(line.startswith("    ") for line in lines), title
        assert re.search(r"\]\([a-z-]+\.md#[a-z0-9_-]+\)", answer), title
        assert len(lines) <= 14, title


def test_numbers_come_from_snippets(outputs):
    with open(PAGE, encoding="utf-8") as fh:
        text = fh.read()
    assert len(re.findall(r"\{\{\s*[a-z0-9_]+\.", text)) >= 25
    assert outputs("backprop_activations")["sigmoid_max_slope"] == 0.25  # σ'(0) = σ(0)(1 - σ(0)) = 1/4


def test_built_page_has_collapsible_answers_with_values(outputs, site):
    html = read_page(site, "phong-van")
    assert html.count('<details class="question"') >= 20
    assert "{{" not in html and "katex-error" not in html
    chain = outputs("chain_worked_example")
    # loss = |y_true - (w x + b)|: d loss / d w = sign(w x + b - y_true) * x, computed here
    expected = math.copysign(1.0, chain["w"] * chain["x"] + chain["b"] - chain["y_true"]) * chain["x"]
    assert chain["dloss_dw"] == expected
    # the formula as its MathML reads (the page keeps no TeX): ∂ loss/∂w=2, with KaTeX's minus sign
    formulas = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<math\b.*?</math>", html, re.DOTALL)]
    assert f"\u2202\u2009loss/\u2202w={expected:g}".replace("-", "\u2212") in formulas
    assert f"{outputs('scale_memory')['per_layer_kib']:.0f} KiB" in html


def test_zero_grad_answer_shows_k_times_the_gradient(outputs, site):
    v = outputs("pitfall_zero_grad")
    x, y, w = v["x"], v["y"], v["w"]
    true_grad = sum(2 * (w * xi - yi) * xi for xi, yi in zip(x, y)) / len(x)  # d/dw mean (w x - y)^2
    assert math.isclose(v["right_grad"], true_grad, rel_tol=1e-6)
    assert math.isclose(v["wrong_grads"], v["k"] * true_grad, rel_tol=1e-6)
    html = " ".join(read_page(site, "phong-van").split())
    assert f"thành {v['wrong_grads']:.1f}" in html and f"</abbr> thật {true_grad:.1f}" in html
