"""Notebooks: each snippet's recorded run as a Jupyter notebook (build), shown as site pages
(pages) with light pages (assets: one shared purged stylesheet via csspurge, linked figures)."""
