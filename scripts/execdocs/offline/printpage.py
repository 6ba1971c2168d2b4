"""One page with every chapter, for printing: no navigation, light figures, formulas as rendered.

The page is a generated MkDocs page (PAGE) whose content is assembled, once every page has been
rendered, from the chapters' own rendered HTML. Each chapter's ids get the chapter's prefix, so the
ids stay unique on the one page, and links between chapters become links within it.
"""

import html
import re

PAGE = "ban-in.md"
ARCHIVE = "lan-truyen-nguoc-offline.zip"  # beside the home page; see archive.py
TITLE = "Cả khoá học trên một trang"
PLACEHOLDER = "<!-- execdocs:print-chapters -->"
STUB = f"""---
hide: [navigation, toc, footer]
search:
  exclude: true
---

# {TITLE}

Trang này gộp mọi chương, theo thứ tự của mục lục, để in ra hay lưu thành PDF (lệnh In của trình
duyệt). Công thức giữ nguyên, hình dùng bản cho nền sáng. Muốn đọc cả trang web khi không có mạng,
tải [bản nén của cả trang]({ARCHIVE}) (giải nén rồi mở `index.html`).

{PLACEHOLDER}
"""

# a tab set's radio group is named "__tabbed_N" on every page: on one page the names must differ. Other
# names (a slider's "eta") are how a widget's script finds its own fields, within its widget
ID_ATTRIBUTE = re.compile(r'\b(id|for|name(?=="__tabbed_))="([^"]+)"')
ARIA_REFERENCE = re.compile(r'\b(aria-labelledby|aria-describedby|aria-controls)="([^"]+)"')
IN_PAGE_LINK = re.compile(r'href="#([^"]*)"')
URL_REFERENCE = re.compile(r"url\(#([^)]+)\)")  # an SVG's markers and gradients
CHAPTER_LINK = re.compile(r'href="\.\./([a-z0-9-]+)/(?:#([^"]*))?"')
DARK_FIGURE = re.compile(r'\s*<img\b[^>]*#only-dark"[^>]*/?>')
LIGHT_FRAGMENT = re.compile(r'(src="[^"]*)#only-light"')
HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")


def chapter_slug(src_uri):
    return src_uri.removesuffix(".md").replace("/", "-")


def chapter_html(content, slug, chapters):
    """One chapter's rendered content as a section of the print page. chapters: the slugs on it."""

    def prefixed(value):
        return f"{slug}--{value}"

    content = ID_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="{prefixed(m.group(2))}"', content)
    content = ARIA_REFERENCE.sub(
        lambda m: f'{m.group(1)}="{" ".join(prefixed(v) for v in m.group(2).split())}"', content
    )
    content = URL_REFERENCE.sub(lambda m: f"url(#{prefixed(m.group(1))})", content)
    content = IN_PAGE_LINK.sub(lambda m: f'href="#{prefixed(m.group(1))}"' if m.group(1) else m.group(0), content)

    def between_chapters(match):
        target, anchor = match.group(1), match.group(2)
        if target not in chapters:
            return match.group(0)
        return f'href="#{target}--{anchor}"' if anchor else f'href="#{target}"'

    content = CHAPTER_LINK.sub(between_chapters, content)
    content = DARK_FIGURE.sub("", content)
    content = LIGHT_FRAGMENT.sub(r'\1"', content)
    # the print page has its own h1: a chapter's title is an h2 there, its sections one level down
    content = HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", content)
    return f'<section class="print-chapter" id="{html.escape(slug)}">\n{content}\n</section>'


def chapter_slugs(chapters):
    return {chapter_slug(src_uri) for src_uri, _ in chapters}


def joined(page_content, sections):
    """The print page's content: its own text, then the chapter sections in order."""
    if PLACEHOLDER not in page_content:
        raise ValueError(f"the print page lost its placeholder {PLACEHOLDER!r}")
    return page_content.replace(PLACEHOLDER, "\n".join(sections))


def assemble(page_content, chapters):
    """The print page's content: its own text, then each (src_uri, rendered content) in order."""
    slugs = chapter_slugs(chapters)
    return joined(page_content, [chapter_html(content, chapter_slug(src_uri), slugs) for src_uri, content in chapters])
