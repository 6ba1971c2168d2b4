"""The execution report page (bao-cao.md), generated at build time from _build/report.json.

It shows where the snippets ran (device, GPU, library versions) and, for each snippet, its run
time, peak memory and whether this build ran it or took it from the cache (a cached snippet
shows the figures of the run that made the cache entry). Slowest first.
"""

import json
import os
import platform

from execdocs.contract import load_report

PAGE = "bao-cao.md"
TITLE = "Báo cáo chạy mã"
STATUS = {"ran": "chạy lần này", "cached": "bộ nhớ đệm", "failed": "lỗi"}


def _load_parity(path):
    """_build/parity.json, written by scripts/parity.py on a machine with CUDA, if there is one."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _mib(value):
    return f"{value / 2**20:.1f} MiB" if value else "—"


def _seconds(value):
    return f"{value:.2f} s" if value is not None else "—"


def _cpu_name():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _device(report):
    device = report.environment.get("device", "cpu")
    gpus = sorted({s.gpu_name for s in report.snippets.values() if s.gpu_name})
    if device == "cpu":
        return "CPU"
    return f"{device.upper()} ({', '.join(gpus)})" if gpus else device.upper()


def rows(report):
    """The snippets as (name, info) pairs, slowest first."""
    items = report.snippets.items()
    return sorted(items, key=lambda item: (-(item[1].seconds or 0.0), item[0]))


def markdown(report):
    lines = [
        "---",
        "search:",
        "  exclude: true",  # run times change every build: kept out of the search index
        "---",
        "",
        f"# {TITLE}",
        "",
        "Trang này được tạo tự động ở mỗi lần xây dựng trang web. Mỗi đoạn mã trên trang là một tệp "
        "trong `snippets/`, chạy trong một tiến trình (process) riêng; tệp nào không đổi thì kết quả "
        "được lấy từ bộ nhớ đệm (cache), kèm thời gian và bộ nhớ của lần chạy đã tạo ra kết quả đó.",
        "",
    ]
    if report is None or not report.snippets:
        lines.append("Chưa có số liệu: lần xây dựng này không chạy snippet nào.")
        return "\n".join(lines) + "\n"
    env = report.environment
    lines += [
        "## Môi trường",
        "",
        "| Mục | Giá trị |",
        "| --- | --- |",
        f"| Thiết bị | {_device(report)} |",
        f"| CPU của máy xây dựng | {_cpu_name()} ({os.cpu_count()} nhân) |",
        f"| Python | {env.get('python', '—')} |",
        f"| torch | {env.get('torch', '—')} |",
        f"| matplotlib | {env.get('matplotlib', '—')} |",
        f"| numpy | {env.get('numpy', '—')} |",
        "",
    ]
    snippets = report.snippets
    ran = sum(1 for s in snippets.values() if s.status == "ran")
    cached = sum(1 for s in snippets.values() if s.status == "cached")
    total = sum(s.seconds or 0.0 for s in snippets.values())
    lines += [
        "## Tổng quan",
        "",
        f"- {len(snippets)} snippet: {ran} chạy lần này, {cached} lấy từ bộ nhớ đệm.",
        f"- Tổng thời gian chạy của các snippet (cộng dồn, không tính chạy song song): {total:.2f} s.",
        "",
        "## Từng snippet, chậm nhất trước",
        "",
        "Bộ nhớ đỉnh là RSS (resident set size) lớn nhất của tiến trình chạy snippet, tính cả các "
        "thư viện đã nạp sẵn; trên GPU có thêm lượng bộ nhớ CUDA được cấp phát tối đa.",
        "",
        "| Snippet | Thời gian chạy | Bộ nhớ đỉnh (RSS) | Bộ nhớ CUDA tối đa | Thiết bị | Nguồn |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for name, info in rows(report):
        lines.append(
            f"| `{name}` | {_seconds(info.seconds)} | {_mib(info.peak_rss_bytes)} "
            f"| {_mib(info.cuda_max_allocated_bytes)} | {info.device} "
            f"| {STATUS.get(info.status, info.status)} |"
        )
    return "\n".join(lines) + "\n"


def parity_markdown(parity):
    """CPU vs GPU per snippet, from `scripts/parity.py` run on a machine with CUDA."""
    if not parity or not parity.get("snippets"):
        return ""
    lines = [
        "## CPU và GPU",
        "",
        f"Mọi snippet được chạy trên cả CPU và GPU ({parity.get('gpu')}, torch {parity.get('torch')}) "
        "bằng `scripts/parity.py`, và mọi giá trị ghi lại được so sánh trong sai số mà snippet khai báo.",
        "",
        "| Snippet | CPU | GPU | CPU/GPU | Khớp nhau |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, row in sorted(parity["snippets"].items()):
        cpu, gpu = row.get("cpu_seconds"), row.get("cuda_seconds")
        ratio = f"{cpu / gpu:.2f}×" if cpu and gpu else "—"
        where = " (chỉ chạy trên CPU)" if row.get("ran_on") == "cpu" else ""
        verdict = ("có" if not row.get("problems") else "KHÔNG") + where
        lines.append(f"| `{name}` | {_seconds(cpu)} | {_seconds(gpu)} | {ratio} | {verdict} |")
    return "\n".join(lines) + "\n"


def page_markdown(report_path):
    parity = _load_parity(os.path.join(os.path.dirname(report_path), "parity.json"))
    return markdown(load_report(report_path)) + ("\n" + parity_markdown(parity) if parity else "")
