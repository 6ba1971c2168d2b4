"""Checking the project's text before anything is built: text (every page, snippet and output:
encodings, invisible characters, scripts, assets from other hosts) and site (includes, unused
snippets, where a broken link is, what a finished page loads)."""
