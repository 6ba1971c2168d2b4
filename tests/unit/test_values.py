"""`{{ snippet.value }}` placeholders: formats, the JSON form for page scripts, errors at page and line."""

import json

import pytest

from execdocs.render import values


@pytest.fixture()
def out_root(tmp_path):
    folder = tmp_path / "demo"
    folder.mkdir()
    recorded = {"x": 0.123456, "path": [1.5, -2.0], "graph": {"label": "</script><b> it's & more", "n": 3}}
    (folder / "values.json").write_text(json.dumps(recorded), encoding="utf-8")
    return str(tmp_path)


def test_a_formatted_number_and_an_index(out_root):
    page = "x = {{ demo.x:.3f }}, last = {{ demo.path[-1] }}"
    assert values.substitute(page, out_root, "p.md") == "x = 0.123, last = -2.0"


def test_json_form_round_trips_and_cannot_close_the_script_element(out_root):
    page = '<script type="application/json">{{ demo.graph:json }}</script>'
    text = values.substitute(page, out_root, "p.md")
    inner = text.removeprefix('<script type="application/json">').removesuffix("</script>")
    assert not any(char in inner for char in "<>&'")
    assert json.loads(inner) == {"label": "</script><b> it's & more", "n": 3}


def test_an_unknown_value_names_page_and_line(out_root):
    with pytest.raises(values.ValueError_, match=r"p\.md:2: snippet 'demo' reported no value 'nope'"):
        values.substitute("fine\n{{ demo.nope:json }}", out_root, "p.md")
