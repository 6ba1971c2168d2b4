"""A synthetic site k times the real one, for the scale benchmark (scripts/benchscale.py) and its test.

`add_content(project, pages, snippets)` adds to a copy of the project (its config, theme, includes
and assets stay) `pages` generated Markdown pages (docs/tong-hop-NNN.md, in the nav) and `snippets`
small snippets (snippets/synth_NNN.py: plain Python and `math`, two `# %%` cells, reported values).
Every page includes one snippet's cell and prints one of its values, so the pages go through the
same plugin paths as the real ones: text and spelling checks, includes, values, KaTeX, lesson
notebooks, search, the print page. Page i uses snippet i % snippets, so every snippet is used.
The text is deterministic: the same arguments give the same files.
"""

import math
import os
import random
import unicodedata

import yaml

SECTION = "Trang tổng hợp"
PER_PART, PER_CHAPTER = 10, 50  # pages per nav part and per chapter: nested, as a big site's nav is
EDIT_MARK = "OFFSET = "

SENTENCES = [
    "Mỗi bước của thuật toán chỉ cần biết giá trị đầu vào và đạo hàm cục bộ của phép tính đó.",
    "Khi mạng sâu hơn, tích của nhiều thừa số nhỏ có thể làm gradient tiêu biến rất nhanh.",
    "Đoạn mã dưới đây tính một tổng nhỏ rồi in kết quả để trang dùng lại con số ấy.",
    "Ta kiểm tra kết quả bằng một cách tính thứ hai, độc lập với cách thứ nhất.",
    "Con số in ra được ghi lại khi xây dựng trang, nên chữ và mã không bao giờ lệch nhau.",
    "Người đọc có thể tự chạy lại đoạn mã và nhận đúng những con số như trên trang.",
    "Hàm mất mát đo khoảng cách giữa dự đoán của mô hình và giá trị đúng.",
    "Tốc độ học quá lớn làm tham số dao động, quá nhỏ thì mô hình học rất chậm.",
    "Một phép biến đổi tuyến tính theo sau là một hàm kích hoạt tạo thành một lớp.",
    "Đồ thị tính toán ghi lại thứ tự các phép tính để lượt ngược đi theo chiều ngược lại.",
    "Chuẩn hoá dữ liệu trước khi huấn luyện giúp các đặc trưng có cùng thang đo.",
    "Trung bình của nhiều lần đo ít bị nhiễu hơn một lần đo riêng lẻ.",
    "Sai số làm tròn của số thực dấu phẩy động nhỏ nhưng có thể cộng dồn qua nhiều bước.",
    "Bài này lặp lại ý chính của chương trước với một ví dụ khác, ngắn hơn.",
]
HEADINGS = ["Ý tưởng chính", "Một ví dụ bằng số", "Kiểm tra lại", "Ghi chú", "Tóm lại"]
TOPICS = ["tổng các bình phương", "chuỗi hữu hạn", "trung bình cộng", "sai số làm tròn", "hàm lượng giác"]


def page_file(i):
    return f"tong-hop-{i + 1:03d}.md"


def snippet_name(j):
    return f"synth_{j + 1:03d}"


def snippet_source(j, offset=0):
    """A snippet without torch: two cells, each printing a number and reporting a value."""
    return f'''"""Synthetic snippet {j + 1} of the scale benchmark: a short sum with math, two cells."""

import math

import sitekit

# %% tinh
{EDIT_MARK}{offset}
n = {8 + j % 9}
terms = [math.sin(0.1 * i + {j} + OFFSET) ** 2 for i in range(n)]
total = math.fsum(terms)
print(f"tổng của {{n}} số hạng = {{total:.6f}}")
sitekit.report("value", total)

# %% kiem
mean = total / n
print(f"trung bình = {{mean:.6f}}, nằm trong [0, 1]: {{0 <= mean <= 1}}")
sitekit.report("mean", mean)
'''


def page_markdown(i, pages, snippets):
    rng = random.Random(i)
    name = snippet_name(i % snippets)
    title = f"Bài tổng hợp {i + 1}: {TOPICS[i % len(TOPICS)]}"

    def paragraph(count=3):
        return " ".join(rng.sample(SENTENCES, count))

    first, second, third = rng.sample(HEADINGS, 3)
    previous = f"[bài trước]({page_file(i - 1)})" if i > 0 else "[trang chủ](index.md)"
    text = f"""# {title}

{paragraph()}

## {first}

{paragraph()} Ở đây $f_{{{i + 1}}}(x) = \\sin^2(0.1 x + {i % snippets})$ và $n$ là số số hạng.

$$
S_{{{i + 1}}} = \\sum_{{x=0}}^{{n-1}} f_{{{i + 1}}}(x)
$$

--8<-- "out/{name}/tinh.md"

Tổng tính được là ${{{{ {name}.value:.4f }}}}$, và trung bình của nó là {{{{ {name}.mean:.4f }}}}.

## {second}

{paragraph(2)} Xem lại {previous}.

--8<-- "out/{name}/kiem.md"

## {third}

{paragraph(4)}
"""
    return unicodedata.normalize("NFC", text)


def nav_section(pages):
    """Chapters of PER_CHAPTER pages, in parts of PER_PART: nested as a real site's nav would be."""
    chapters = []
    for first in range(0, pages, PER_CHAPTER):
        parts = []
        for start in range(first, min(first + PER_CHAPTER, pages), PER_PART):
            items = [{f"Bài {i + 1}": page_file(i)} for i in range(start, min(start + PER_PART, pages))]
            parts.append({f"Phần {start // PER_PART + 1}": items})
        chapters.append({f"Chương {first // PER_CHAPTER + 1}": parts})
    return {SECTION: chapters}


def add_content(project, pages, snippets):
    """Write the pages, the snippets and the nav section into the project copy at `project`."""
    if pages < snippets:
        raise ValueError("need at least as many pages as snippets: each snippet must be used by a page")
    for j in range(snippets):
        with open(os.path.join(project, "snippets", snippet_name(j) + ".py"), "w", encoding="utf-8") as fh:
            fh.write(snippet_source(j))
    for i in range(pages):
        with open(os.path.join(project, "docs", page_file(i)), "w", encoding="utf-8") as fh:
            fh.write(page_markdown(i, pages, snippets))
    config_path = os.path.join(project, "mkdocs.yml")
    with open(config_path, encoding="utf-8") as fh:
        text = fh.read()
    nav = yaml.safe_dump([nav_section(pages)], allow_unicode=True, sort_keys=False, default_flow_style=False)
    # after the lesson pages, before the notebook section: the plugin expands that one
    anchor = "  - Sổ tay Jupyter:"
    if anchor not in text:
        raise ValueError(f"mkdocs.yml has no line starting {anchor!r}: cannot place the synthetic nav")
    indented = "".join("  " + line + "\n" for line in nav.splitlines())
    text = text.replace(anchor, indented.rstrip("\n") + "\n" + anchor, 1)
    with open(config_path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return [snippet_name(j) for j in range(snippets)]


def edit_snippet(project, j, offset):
    """Change snippet j's printed values (its OFFSET constant); returns the snippet's name."""
    name = snippet_name(j)
    path = os.path.join(project, "snippets", name + ".py")
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    lines = [f"{EDIT_MARK}{offset}" if line.startswith(EDIT_MARK) else line for line in source.split("\n")]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return name


def printed_sum(j, offset):
    """The first line snippet j prints with its OFFSET at offset: what its pages show after an edit."""
    n = 8 + j % 9
    total = math.fsum(math.sin(0.1 * i + j + offset) ** 2 for i in range(n))
    return f"tổng của {n} số hạng = {total:.6f}"


def sizes(k):
    """(pages, snippets) of the synthetic content at scale factor k: ~50 pages and ~40 snippets per k."""
    return 50 * k, 40 * k
