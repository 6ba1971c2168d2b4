"""The notebook section of the nav puts each page's notebooks where the page sits in the nav, so a
notebook page (which shows its siblings) does not grow with the number of lesson pages."""

from execdocs.notebooks.pages import OVERVIEW, SECTION, _nav_titles, nav_section


def test_groups_follow_the_sections_of_their_pages():
    nav = [
        {"Trang chủ": "index.md"},
        {"Gradient": "gradient.md"},
        {"Phần A": [{"Chương 1": [{"Bài 1": "a1.md"}, {"Bài 2": "a2.md"}]}, {"Bài 3": "a3.md"}]},
        {"Sổ tay Jupyter": OVERVIEW},
    ]
    pages_of = {"g": ["gradient.md"], "x": ["a1.md"], "y": ["a2.md", "a1.md"], "z": ["a3.md"], "lone": []}
    section = nav_section(["g", "x", "y", "z", "lone"], pages_of, _nav_titles(nav), nav)
    assert section == {
        SECTION: [
            {"Tổng quan": OVERVIEW},
            {"Gradient": [{"g": "notebooks/g/index.ipynb"}]},
            {
                "Phần A": [
                    {
                        "Chương 1": [
                            {"Bài 1": [{"x": "notebooks/x/index.ipynb"}]},
                            {"Bài 2": [{"y": "notebooks/y/index.ipynb"}]},
                        ]
                    },
                    {"Bài 3": [{"z": "notebooks/z/index.ipynb"}]},
                ]
            },
            {"Khác": [{"lone": "notebooks/lone/index.ipynb"}]},
        ]
    }


def test_a_flat_nav_gives_one_group_per_page_in_nav_order():
    nav = [{"B": "b.md"}, {"A": "a.md"}, {"Sổ tay Jupyter": OVERVIEW}]
    pages_of = {"one": ["a.md"], "two": ["b.md"], "three": ["a.md"]}
    names = ["one", "three", "two"]
    titles = _nav_titles(nav)
    mirrored = nav_section(names, pages_of, titles, nav)
    assert mirrored == nav_section(names, pages_of, titles)  # the old flat layout, unchanged
    assert [list(group)[0] for group in mirrored[SECTION]] == ["Tổng quan", "B", "A"]
