"""The snippet runner: runs each file of snippets/ in its own process and records its outputs.

Only the standard library is used here, so the runner works on any machine that has Python,
torch and matplotlib (a GPU machine without the site's tools, for example).
"""
