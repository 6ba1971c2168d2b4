"""The MkDocs plugin `execdocs` (plugin.py: the events; config.py: the options)."""
