"""Every section of the five notes the site was commissioned from is covered by a page of the site.

The table below was written by going through each note section by section; it names each section by a
short label (the notes themselves are never read here). Each row's page must be in the nav and its
anchor must exist in the built page, so a row whose section loses its page or heading fails.
"""

import re

import pytest

from conftest import read_page
from conftest import nav_files as nav_pages

# (note id, section of the note, page, anchor in the built page)
COVERAGE = [
    # 000: gradient and backpropagation, an overview with interview questions and a TL;DR
    ("000", "định nghĩa gradient", "gradient.md", "gradient"),
    ("000", "định nghĩa lan truyền ngược", "backprop-va-autograd.md", "thuat-toan-va-cai-dat"),
    ("000", "dùng để làm gì: hạ gradient, mạng nhiều tầng", "lan-truyen-nguoc.md", "tu-perceptron-den-mang-nhieu-tang"),
    ("000", "dùng để làm gì: đạo hàm không cần tính ký hiệu", "gradient.md", "ba-cach-tinh-cung-mot-gradient"),
    ("000", "dùng để làm gì: CNN, RNN, Transformer, LLM", "quy-mo-lon.md", "lan-truyen-nguoc-o-quy-mo-lon"),
    ("000", "gradient của MSE theo w (mô hình y = w·x)", "gradient.md", "mo-hinh-haty-w-cdot-x"),
    ("000", "quy tắc chuỗi qua nhiều lớp", "quy-tac-chuoi.md", "mot-chuoi-bon-ham"),
    ("000", "một lớp: dL/dw, dL/db", "lan-truyen-nguoc.md", "mot-no-ron"),
    ("000", "gradient gửi về lớp trước dL/dx", "lan-truyen-nguoc.md", "mot-no-ron"),
    ("000", "công thức dL/dx viết dính \\cdotf", "dong-gop.md", "trang-va-phan-duoc-chen"),
    ("000", "cập nhật trọng số bằng hạ gradient", "toi-uu.md", "quy-tac-cap-nhat"),
    ("000", "PyTorch: backward, step, zero_grad", "vong-lap-huan-luyen.md", "nam-buoc-cua-vong-lap"),
    ("000", "zero_grad gọi sau step", "loi-thuong-gap.md", "zero-grad-dat-o-dau"),
    ("000", "ví dụ mã nn.Linear, SGD, MSELoss", "huan-luyen-thuc-te.md", "vong-lap"),
    ("000", "lỗi: quên zero_grad", "loi-thuong-gap.md", "quen-zero-grad"),
    ("000", "lỗi: no_grad sai chỗ", "loi-thuong-gap.md", "no-grad-sai-cho"),
    ("000", "lỗi: bùng nổ, tiêu biến gradient", "loi-thuong-gap.md", "tieu-bien-bung-no"),
    ("000", "lỗi: tốc độ học quá lớn", "loi-thuong-gap.md", "toc-do-hoc-qua-lon"),
    ("000", "lỗi: tắt gradient quên bật khi fine-tune", "loi-thuong-gap.md", "tham-so-dong-bang"),
    ("000", "so sánh lan truyền ngược và autograd", "backprop-va-autograd.md", "thuat-toan-va-cai-dat"),
    ("000", "so sánh hạ gradient và lan truyền ngược", "backprop-va-autograd.md", "tinh-gradient-va-dung-gradient"),
    ("000", "thực tế: autograd giảm chi phí tính đạo hàm", "quy-mo-lon.md", "bo-nho"),
    ("000", "thực tế: gọt gradient", "loi-thuong-gap.md", "bung-no-gradient-va-got-gradient"),
    ("000", "thực tế: lan truyền ngược ở quy mô tỉ tham số", "quy-mo-lon.md", "song-song-du-lieu"),
    ("000", "câu hỏi phỏng vấn", "phong-van.md", "nen-tang"),
    ("000", "TL;DR", "tom-tat.md", "tom-tat-ca-khoa"),
    # 001: a copy of 003 saved with broken encoding: the fixture of the encoding check
    ("001", "bản sao 003 bị hỏng mã hoá (mojibake)", "dong-gop.md", "van-ban"),
    # 002: training loop, gradient descent, SGD, momentum, chain rule, computational graph
    ("002", "mỗi tầng: relu(dot(input, W) + b), trọng số", "lan-truyen-nguoc.md", "tu-perceptron-den-mang-nhieu-tang"),
    ("002", "khởi tạo ngẫu nhiên và vòng lặp huấn luyện", "huan-luyen-thuc-te.md", "mo-hinh-ham-mat-mat-bo-toi-uu"),
    ("002", "bốn bước của vòng lặp huấn luyện", "vong-lap-huan-luyen.md", "nam-buoc-cua-vong-lap"),
    ("002", "cách ngây thơ: nhích từng hệ số 0,3 → 0,35 / 0,25", "gradient.md", "vi-sao-can-gradient"),
    ("002", "hạ gradient", "toi-uu.md", "quy-tac-cap-nhat"),
    ("002", "đạo hàm là gì", "gradient.md", "gradient"),
    ("002", "đạo hàm của một tensor: gradient", "gradient.md", "mot-ham-hai-bien"),
    ("002", "cực tiểu: giải grad = 0, không phải tích phân", "vong-lap-huan-luyen.md", "bai-toan"),
    ("002", "SGD theo minibatch, năm bước", "toi-uu.md", "toan-bo-du-lieu-minibatch-hay-tung-mau"),
    ("002", "một mẫu, minibatch hay toàn bộ dữ liệu", "toi-uu.md", "toan-bo-du-lieu-minibatch-hay-tung-mau"),
    ("002", "hình hai chiều của mặt mất mát đánh lừa", "toi-uu.md", "hinh-hai-chieu-danh-lua"),
    (
        "002",
        "điểm yên ngựa và cực tiểu địa phương trong nhiều chiều",
        "toi-uu.md",
        "trong-nhieu-chieu-diem-yen-ngua-nhieu-hon-cuc-tieu",
    ),
    ("002", "lát cắt hai chiều", "toi-uu.md", "mot-lat-cat-hai-chieu-co-the-trong-nhu-mot-cuc-tieu"),
    ("002", "các biến thể: RMSprop và các bộ tối ưu khác", "toi-uu.md", "sgd-dong-luong-rmsprop-va-adam"),
    ("002", "các biến thể: Adagrad", "toi-uu.md", "adagrad"),
    ("002", "cực tiểu địa phương, quả bóng lăn", "toi-uu.md", "lan-qua-mot-cuc-tieu-dia-phuong"),
    ("002", "mã giả động lượng (thực ra là Nesterov)", "toi-uu.md", "hai-cach-viet-cung-mot-thuat-toan"),
    ("002", "động lượng so với torch.optim.SGD", "toi-uu.md", "viet-tay-va-so-voi-torchoptimsgd"),
    (
        "002",
        "biểu thức loss(softmax(dot(relu(...))))",
        "lan-truyen-nguoc.md",
        "mot-mang-hai-tang-luot-truyen-nguoc-viet-tay",
    ),
    ("002", "quy tắc chuỗi với fg", "quy-tac-chuoi.md", "ham-hop-cua-hai-ham"),
    ("002", "chuỗi dài hơn: fghj", "quy-tac-chuoi.md", "mot-chuoi-bon-ham"),
    ("002", "đồ thị tính toán có hướng, không chu trình", "quy-tac-chuoi.md", "thu-tu-to-po"),
    (
        "002",
        "ví dụ x = 2, y_true = 4, w = 3, b = 1, mất mát trị tuyệt đối",
        "quy-tac-chuoi.md",
        "do-thi-tinh-toan-cua-mot-vi-du-cu-the",
    ),
    ("002", "lượt truyền xuôi: y = 7, loss = 3", "quy-tac-chuoi.md", "luot-truyen-xuoi"),
    ("002", "đảo ngược đồ thị: grad trên từng cạnh", "quy-tac-chuoi.md", "dao-ham-cuc-bo-tren-tung-canh"),
    ("002", "nhân dọc đường đi: grad(loss, w)", "quy-tac-chuoi.md", "nhan-doc-theo-duong-di"),
    ("002", "tổng quan: framework tự tính đạo hàm", "quy-tac-chuoi.md", "do-thi-ma-autograd-thuc-su-dung"),
    ("002", "hình dán bị mất: mọi hình vẽ từ mã", "dong-gop.md", "them-mot-do-thi"),
    # 003: backpropagation in PyTorch on f(x) = 3x^2 - 2x + 3
    ("003", "tóm tắt: quy trình năm bước", "vong-lap-huan-luyen.md", "vong-lap-huan-luyen-pytorch"),
    ("003", "năm bước, zero_grad trước tiên", "vong-lap-huan-luyen.md", "nam-buoc-cua-vong-lap"),
    ("003", "zero_grad trước lượt truyền xuôi", "loi-thuong-gap.md", "zero-grad-dat-o-dau"),
    ("003", "cộng dồn gradient có ích cho mô hình lớn", "quy-mo-lon.md", "tich-luy-gradient"),
    ("003", "lời giải giải tích x = 1/3", "vong-lap-huan-luyen.md", "bai-toan"),
    ("003", "80 epoch từ x = −1 tới ≈ 0,32, thiếu tốc độ học", "vong-lap-huan-luyen.md", "ket-qua"),
    ("003", "w.grad và dấu của nó", "vong-lap-huan-luyen.md", "dau-cua-xgrad-noi-gi"),
    ("003", "theo dõi đường cong mất mát", "vong-lap-huan-luyen.md", "thu-cac-toc-do-hoc-khac"),
    ("003", "kết luận", "tom-tat.md", "vong-lap-huan-luyen-pytorch"),
    ("003", '"hạ giang" không phải thuật ngữ', "thuat-ngu.md", "thuat-ngu"),
    # 004: from perceptron to multi-layer networks, chain rule through activation functions
    ("004", "tóm tắt: lan truyền ngược và hạ gradient", "backprop-va-autograd.md", "lan-truyen-nguoc-va-autograd"),
    ("004", "từ perceptron đến mạng nhiều tầng", "lan-truyen-nguoc.md", "tu-perceptron-den-mang-nhieu-tang"),
    (
        "004",
        "lan truyền ngược là hạ gradient cho mọi tầng",
        "backprop-va-autograd.md",
        "tinh-gradient-va-dung-gradient",
    ),
    ("004", "quy tắc chuỗi qua ba mắt xích", "lan-truyen-nguoc.md", "mot-no-ron"),
    ("004", "đạo hàm của sigmoid, ReLU, tanh", "lan-truyen-nguoc.md", "dao-ham-cua-cac-ham-kich-hoat"),
    ("004", "ổn định số học: tiêu biến, bùng nổ", "loi-thuong-gap.md", "tieu-bien-bung-no"),
    ("004", "hiệu năng: batch và GPU", "huan-luyen-thuc-te.md", "dua-mo-hinh-va-du-lieu-len-thiet-bi"),
    ("004", "kết luận: mô hình tỉ tham số", "quy-mo-lon.md", "lan-truyen-nguoc-o-quy-mo-lon"),
    ("004", '"hạ giang" không phải thuật ngữ', "thuat-ngu.md", "thuat-ngu"),
]
NOTES = {"000", "001", "002", "003", "004"}


def test_table_covers_every_note():
    assert {note for note, _, _, _ in COVERAGE} == NOTES
    labels = [(note, label) for note, label, _, _ in COVERAGE]
    assert len(labels) == len(set(labels)), "a section is listed twice"
    for note, label, page, anchor in COVERAGE:
        assert label.strip() and page.endswith(".md") and re.fullmatch(r"[a-z0-9_-]+", anchor), (note, label)


def test_every_covering_page_is_in_the_nav():
    pages = set(nav_pages())
    missing = sorted({page for _, _, page, _ in COVERAGE if page not in pages})
    assert not missing, f"not in the nav of mkdocs.yml: {missing}"


@pytest.mark.parametrize("page", sorted({page for _, _, page, _ in COVERAGE}))
def test_every_anchor_exists_in_the_built_page(site, page):
    built = read_page(site, page[: -len(".md")])
    ids = set(re.findall(r'\bid="([^"]+)"', built))
    missing = [(note, label, anchor) for note, label, p, anchor in COVERAGE if p == page and anchor not in ids]
    assert not missing, f"{page}: sections left uncovered {missing}"
