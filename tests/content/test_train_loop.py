"""The training-loop page: the recorded numbers are right, and the built page shows them."""

import math
import os
import xml.etree.ElementTree as ET

from conftest import BUILD, read_page

LR, STEPS, X0 = 0.01, 80, -1.0


def test_final_x_is_near_the_true_minimum(outputs):
    values = outputs("train_loop")
    assert abs(values["final_x"] - 1 / 3) < 0.02


def test_final_x_matches_the_closed_form(outputs):
    values = outputs("train_loop")
    closed_form = 1 / 3 - (4 / 3) * (1 - 6 * LR) ** STEPS
    assert math.isclose(values["final_x"], closed_form, abs_tol=1e-5)
    assert math.isclose(values["closed_form_x"], closed_form, abs_tol=1e-12)
    assert (values["lr"], values["steps"], values["x0"]) == (LR, STEPS, X0)


def test_every_recorded_step_follows_the_update_rule(outputs):
    values = outputs("train_loop")
    x = X0
    for recorded_x, grad in zip(values["xs"], values["grads"]):
        assert math.isclose(grad, 6 * x - 2, abs_tol=1e-5)
        x = x - LR * (6 * x - 2)
        assert math.isclose(recorded_x, x, abs_tol=1e-5)


def test_loss_decreases_at_every_step(outputs):
    losses = outputs("train_loop")["losses"]
    assert len(losses) == STEPS
    assert all(b < a for a, b in zip(losses, losses[1:]))


def test_gradient_is_negative_throughout(outputs):
    assert all(g < 0 for g in outputs("train_loop")["grads"])


def test_plots_are_valid_svg_in_both_themes(outputs):
    for theme in ("light", "dark"):
        path = os.path.join(BUILD, "out", "train_loop", f"progress-{theme}.svg")
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 10
    light = open(os.path.join(BUILD, "out", "train_loop", "progress-light.svg")).read()
    dark = open(os.path.join(BUILD, "out", "train_loop", "progress-dark.svg")).read()
    assert "#1f2328" in light and "#1f2328" not in dark and "#e6edf3" in dark


def test_svg_carries_no_date_or_creator(outputs):
    text = open(os.path.join(BUILD, "out", "train_loop", "progress-light.svg")).read()
    assert "<dc:date>" not in text and "Matplotlib v" not in text


def test_built_page_shows_output_plots_and_formulas(outputs, site):
    html = read_page(site, "vong-lap-huan-luyen")
    final = f"{outputs('train_loop')['final_x']:.4f}"
    assert f"x cuối cùng     = {outputs('train_loop')['final_x']:.6f}" in html
    assert final in html
    assert "../out/train_loop/progress-light.svg#only-light" in html
    assert "../out/train_loop/progress-dark.svg#only-dark" in html
    assert os.path.exists(os.path.join(site, "out", "train_loop", "progress-light.svg"))
    assert html.count('class="katex-display"') >= 4
    assert "katex-error" not in html
    assert 'class="arithmatex"' not in html
    assert "{{" not in html  # every value placeholder was filled


def test_site_ships_katex_css_and_fonts_but_no_math_script(site):
    css = open(os.path.join(site, "assets", "katex", "katex.min.css")).read()
    assert "woff2" in css and ".ttf" not in css and ".woff)" not in css
    assert os.path.exists(os.path.join(site, "assets", "katex", "fonts", "KaTeX_Main-Regular.woff2"))
    html = read_page(site, "vong-lap-huan-luyen")
    assert "katex.min.js" not in html and "mathjax" not in html.lower()
