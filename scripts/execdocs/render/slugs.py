"""Heading anchors that keep Vietnamese readable: "Bắt đầu từ đâu" becomes `#bat-dau-tu-dau`.

Python-Markdown's slugify drops every letter that has no ASCII decomposition, and "đ" has none, so
the anchor read `#bat-au-tu-au`. Here "đ"/"Đ" become "d"/"D" first; the rest is the usual slugify
(diacritics dropped, lower case, spaces to dashes). The plugin sets it as toc's slugify (on_config).
"""

from markdown.extensions.toc import slugify as ascii_slugify


def slugify(value, separator):
    return ascii_slugify(value.replace("đ", "d").replace("Đ", "D"), separator)
