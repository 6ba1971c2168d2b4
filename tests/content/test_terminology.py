"""Every page uses the site's terms (includes/terms.yml), never the machine-translation ones."""

import glob
import os
import unicodedata

import pytest

from conftest import ROOT

AVOIDED = ["hạ giang", "trọng lượng", "tỷ lệ học tập", "chức năng mất", "dẫn xuất", "tuyên truyền"]
GLOSSARY = "thuat-ngu.md"  # names the avoided terms on purpose, to warn against them
PAGES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))


@pytest.mark.parametrize("page", [p for p in PAGES if p != GLOSSARY])
def test_page_is_nfc_and_avoids_rejected_terms(page):
    with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as fh:
        text = fh.read()
    assert unicodedata.normalize("NFC", text) == text
    found = [term for term in AVOIDED if term in text.lower()]
    assert not found, f"docs/{page} uses {found}: see the glossary for the site's terms"
