"""Lighthouse's mobile audit of every page of a built site: `python scripts/benchlighthouse.py site/`.

The site is served from localhost as GitHub Pages serves it (scripts/localsite.py: text
gzip-compressed, a cache header), and Lighthouse (pinned in package.json as a dev dependency:
`npm ci` installs it, `npm ci --omit=dev` does not) audits each page with its default mobile
preset: a phone screen, simulated slow 4G and a 4x slower CPU. The throttling is simulated from
what the page really did on this machine, so a busy machine inflates the main-thread figures
(TBT most). Each page runs `--runs` times and the worst figure of the runs counts.

Every page of the site is audited except the per-snippet notebook pages (`notebooks/NAME/`, one
per snippet, all made by the same template): only the largest `--notebooks` of them. The print
page (`ban-in/`, the whole course on one page) is audited and shown, outside the targets.
The benchmark (scripts/benchmark.py) calls `measure` and `check`. With a Chromium newer than
Lighthouse 12.2.3 knows, a few diagnostic audits (layout-shift causes, the LCP element,
render-blocking resources) end in an error in the report; the metrics and scores are unaffected.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

from localsite import SiteServer, site_pages  # beside this file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# LIGHTHOUSE: another installation (e.g. one made with `npm i --no-save lighthouse@12.2.3` elsewhere)
LIGHTHOUSE = os.environ.get("LIGHTHOUSE") or os.path.join(ROOT, "node_modules", ".bin", "lighthouse")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
PRINT_PAGE = "ban-in/"
NOTEBOOK_PAGES = "notebooks/"
# figure: (Lighthouse audit id, True if higher is better); the worst of the runs counts
AUDITS = {
    "fcp_ms": ("first-contentful-paint", False),
    "lcp_ms": ("largest-contentful-paint", False),
    "tbt_ms": ("total-blocking-time", False),
    "cls": ("cumulative-layout-shift", False),
    "dom_size": ("dom-size", False),
}


def lighthouse_command():
    if not os.access(LIGHTHOUSE, os.X_OK):
        raise SystemExit(
            f"no Lighthouse at {os.path.relpath(LIGHTHOUSE, ROOT)}: it is a dev dependency, which "
            "scripts/setup.sh leaves out; install it with `npm ci` (dev dependencies included)"
        )
    return LIGHTHOUSE


def chosen_pages(site, notebooks=3):
    """Every page, except that of the per-snippet notebook pages only the `notebooks` largest count."""
    pages = site_pages(site)
    per_snippet = [p for p in pages if p.startswith(NOTEBOOK_PAGES) and p != NOTEBOOK_PAGES]
    size = lambda p: os.path.getsize(os.path.join(site, p, "index.html"))  # noqa: E731
    sampled = sorted(per_snippet, key=size, reverse=True)[:notebooks]
    return [p for p in pages if p not in per_snippet or p in sampled], len(per_snippet)


def audit(url, chromium, keep=None, timeout=300):
    """One Lighthouse run of one URL: {figure: value}, the category scores out of 100, or
    {"error": why} when Lighthouse could not audit it; keep: a path to copy Lighthouse's own JSON
    report to (every audit, for finding out why)."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        report = os.path.join(folder, "report.json")
        command = [
            lighthouse_command(),
            url,
            "--only-categories=" + ",".join(CATEGORIES),
            "--output=json",
            "--output-path=" + report,
            "--chrome-flags=" + CHROME_FLAGS,
            "--quiet",
            # the print page (the whole course) takes over the default 30 s to paint on a busy machine
            "--max-wait-for-fcp=90000",
            "--max-wait-for-load=90000",
        ]
        env = {**os.environ, "CHROME_PATH": chromium}
        try:
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"Lighthouse took over {timeout} s"}
        if done.returncode != 0 or not os.path.exists(report):
            return {"error": (done.stderr.strip().splitlines() or ["no report"])[-1][:200]}
        with open(report, encoding="utf-8") as fh:
            result = json.load(fh)
        if keep:
            shutil.copyfile(report, keep)
    if result.get("runtimeError"):
        return {"error": result["runtimeError"].get("code", "runtime error")}
    figures = {}
    for name, (audit_id, _) in AUDITS.items():
        found = result["audits"][audit_id]
        if "numericValue" not in found:  # e.g. NO_FCP: the page painted nothing in time
            return {"error": f"{audit_id}: {found.get('errorMessage', 'no value')[:160]}"}
        figures[name] = found["numericValue"]
    for category in CATEGORIES:
        score = result["categories"][category]["score"]
        figures[category] = None if score is None else round(score * 100)
    figures["warnings"] = result.get("runWarnings", [])
    return figures


def worst(runs):
    """The worst value of each figure over several runs of one page; a failed run wins."""
    failed = [run for run in runs if "error" in run]
    if failed:
        return failed[0]
    higher_better = {name: better for name, (_, better) in AUDITS.items()}
    higher_better.update({category: True for category in CATEGORIES})
    figures = {}
    for name, better in higher_better.items():
        values = [run[name] for run in runs if run[name] is not None]
        figures[name] = (min if better else max)(values) if values else None
    figures["warnings"] = sorted({w for run in runs for w in run["warnings"]})
    return figures


def measure(site, chromium, runs=1, notebooks=3, pages=None, reports=None, say=print):
    """{page: worst figures of `runs` runs}; pages: the chosen pages unless given; reports: a
    folder for Lighthouse's JSON report of each run."""
    if pages is None:
        pages, per_snippet = chosen_pages(site, notebooks)
        say(
            f"{len(pages)} pages ({min(notebooks, per_snippet)} of the {per_snippet} per-snippet notebook pages), {runs} run(s) each"
        )
    lighthouse_command()
    if reports:
        os.makedirs(reports, exist_ok=True)
    say(HEADER)
    server = SiteServer(site)
    results = {}
    try:
        for page in pages:
            runs_of_page = []
            for run in range(runs):
                name = (page.strip("/").replace("/", "_") or "index") + f".{run + 1}.json"
                keep = os.path.join(reports, name) if reports else None
                result = audit(server.url + page, chromium, keep)
                if "error" in result:  # on a busy machine a run can miss its paint: once more
                    result = audit(server.url + page, chromium, keep)
                runs_of_page.append(result)
            results[page] = worst(runs_of_page)
            say(row(page, results[page]))
    finally:
        server.close()
    return results


HEADER = f"{'page':34s} {'perf':>4s} {'FCP s':>6s} {'LCP s':>6s} {'TBT ms':>6s} {'CLS':>6s} {'DOM':>5s} {'a11y':>4s} {'BP':>4s} {'SEO':>4s}"


def row(page, f):
    if "error" in f:
        return f"/{page:33s} not audited: {f['error']}"
    score = lambda name: "-" if f[name] is None else str(f[name])  # noqa: E731
    return (
        f"/{page:33s} {score('performance'):>4s} {f['fcp_ms'] / 1000:6.2f} {f['lcp_ms'] / 1000:6.2f} "
        f"{f['tbt_ms']:6.0f} {f['cls']:6.3f} {f['dom_size']:5.0f} {score('accessibility'):>4s} "
        f"{score('best-practices'):>4s} {score('seo'):>4s}"
    )


def check(results):
    """[(target, holds, detail)] for the targets of issue 18; the print page is left out."""
    pages = {p: f for p, f in results.items() if p != PRINT_PAGE and "error" not in f}
    failed = sorted(p for p, f in results.items() if p != PRINT_PAGE and "error" in f)

    def extreme(name, pick):
        page = pick(pages, key=lambda p: pages[p][name] if pages[p][name] is not None else -1)
        return page, pages[page][name]

    checks = [("Lighthouse audits every page", not failed, ", ".join("/" + p for p in failed) or "all")]
    page, value = extreme("performance", min)
    checks.append(("Lighthouse performance >= 95 on every page", value >= 95, f"lowest {value} (/{page})"))
    page, value = extreme("cls", max)
    checks.append(("CLS < 0.05", value < 0.05, f"highest {value:.3f} (/{page})"))
    page, value = extreme("tbt_ms", max)
    checks.append(("TBT <= 200 ms", value <= 200, f"highest {value:.0f} ms (/{page})"))
    page, value = extreme("lcp_ms", max)
    checks.append(("LCP <= 2.5 s", value <= 2500, f"highest {value / 1000:.2f} s (/{page})"))
    for category, label in (("accessibility", "accessibility"), ("best-practices", "best practices"), ("seo", "SEO")):
        page, value = extreme(category, min)
        checks.append((f"Lighthouse {label} = 100 on every page", value == 100, f"lowest {value} (/{page})"))
    return checks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", help="the built site folder")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the worst figure counts")
    parser.add_argument("--notebooks", type=int, default=3, help="how many per-snippet notebook pages (the largest)")
    parser.add_argument("--pages", default=None, help="comma list of pages to audit instead (e.g. gradient/,ban-in/)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--reports", default=None, help="keep Lighthouse's JSON report of each run in this folder")
    args = parser.parse_args(argv)
    pages = (
        None if args.pages is None else ["" if p in ("/", "") else p.strip("/") + "/" for p in args.pages.split(",")]
    )
    results = measure(args.site, args.chromium, args.runs, args.notebooks, pages, args.reports)
    audited = [p for p in results if p != PRINT_PAGE and "error" not in results[p]]
    checks = check(results) if audited else []
    for label, holds, detail in checks:
        print(f"  [{'ok' if holds else 'FAIL'}] {label}: {detail}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"pages": results, "runs": args.runs}, fh, indent=1)
    return 0 if all(holds for _, holds, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
