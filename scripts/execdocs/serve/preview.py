"""Under `mkdocs serve`: an edited page is shown before the full rebuild that follows it.

After each save MkDocs' serve rebuilds the whole site, and its watcher looks for changes every
0.5 s; while a build runs, it holds every request, so that no half-built site is served. The
preview goes first: when the only files changed since the last build began are pages of that
build (docs/*.md), it renders just those again, through MkDocs' own two page steps
(`_populate_page`, `_build_page`, so every plugin's page events run, with the last build's
configuration, files, navigation and templates). The pages go into a copy of the last built site
(hard links, made after each build), the server serves that copy and tells the browsers to
reload, and the full build runs as before, into MkDocs' own folder; when it is done the server
serves that folder again and tells the browsers once more. Anything else that changed (a new or removed file, mkdocs.yml, a
snippet, a template) goes to the full build alone, and a preview that fails in any way is dropped
without a word: the full build that follows reports the error at its file and line. Nothing a
preview renders is saved in a store (the full build's stores start afresh), and the print page
and the search index wait for the full build.
"""

import logging
import os
import shutil
import tempfile
import time

log = logging.getLogger("mkdocs.plugins.execdocs")
POLL_SECONDS = 0.1  # the watcher's interval (MkDocs: 0.5 s); one look at a few hundred files


def snapshot(folders, files=()):
    """{path: (size, mtime_ns)} of every file under folders, and of files."""
    found = {}
    for folder in folders:
        for parent, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in names:
                _stat_into(found, os.path.join(parent, name))
    for path in files:
        _stat_into(found, path)
    return found


def _stat_into(found, path):
    try:
        stat = os.stat(path)
    except OSError:
        return
    found[path] = (stat.st_size, stat.st_mtime_ns)


def changed(before, after):
    """(changed paths, whether any file was added or removed)."""
    edited = {path for path in after if path in before and before[path] != after[path]}
    return edited, before.keys() != after.keys()


class Preview:
    """The last build's objects, the files as that build began, and the preview step."""

    def __init__(self):
        self.config = self.files = self.nav = self.env = None
        self.before = None  # snapshot as the last build began
        self.watched = ([], [])  # folders, files
        self.previewed = 0
        self.shown = None  # the copy of the last built site that a preview is served from
        self.mirrored = False  # whether it is a copy of the last build

    def close(self):
        if self.shown:
            shutil.rmtree(self.shown, ignore_errors=True)
            self.shown = None

    def forget(self):
        """The last build failed: no preview until one succeeds."""
        self.config = self.files = self.nav = self.env = None

    def start_build(self, folders, files):
        self.watched = (list(folders), list(files))
        self.before = snapshot(folders, files)
        self.config = self.files = self.nav = self.env = None

    def built(self, config, files, nav, env):
        self.config, self.files, self.nav, self.env = config, files, nav, env
        self.mirrored = False

    def copy_site(self):
        """Copy the last built site (while the server serves MkDocs' folder, not the copy)."""
        if self.shown is None:
            self.shown = tempfile.mkdtemp(prefix="execdocs-preview-")
        mirror(self.config.site_dir, self.shown)
        self.mirrored = True

    def plan(self, snippets_dir):
        """(pages, snippets) changed since the last build began: pages of that build (docs/*.md) and
        snippets (their names); None if anything else changed, or nothing did."""
        if self.before is None or self.env is None:
            return None
        edited, added_or_removed = changed(self.before, snapshot(*self.watched))
        if added_or_removed or not edited:
            return None
        by_path = {f.abs_src_path: f for f in self.files.documentation_pages()}
        pages, snippets = [], []
        for path in sorted(edited):
            file = by_path.get(path)
            if path.endswith(".md") and file is not None and file.page is not None:
                pages.append(file.page)
            elif path.endswith(".py") and os.path.dirname(path) == snippets_dir:
                snippets.append(os.path.basename(path)[:-3])
            else:
                return None
        return pages, snippets

    def pages_using(self, snippets, sources, named):
        """The pages of the last build whose Markdown (sources: src_uri -> text) names a snippet."""
        wanted = set(snippets)
        return [
            f.page
            for f in self.files.documentation_pages()
            if f.page is not None and wanted & named(sources.get(f.src_uri, ""))
        ]

    def render(self, pages, serve_url):
        """Render pages, into MkDocs' folder and the copy; False if anything went wrong."""
        from mkdocs.commands import build as mkdocs_build
        from mkdocs.structure.files import InclusionLevel

        if not self.mirrored:
            self.copy_site()
        inclusion = InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included
        doc_files = self.files.documentation_pages(inclusion=inclusion)
        # the full build says what it finds: the preview's log lines would be said twice
        handlers = [*logging.getLogger("mkdocs").handlers, *logging.getLogger().handlers]
        quiet = _Silence()
        for handler in handlers:
            handler.addFilter(quiet)
        try:
            for page in pages:
                mkdocs_build._populate_page(page, self.config, self.files)
            for page in pages:
                mkdocs_build._build_page(page, self.config, doc_files, self.nav, self.env)
            for page in pages:
                relative = os.path.relpath(page.file.abs_dest_path, self.config.site_dir)
                _replace(page.file.abs_dest_path, os.path.join(self.shown, relative))
        except Exception:
            return False
        finally:
            for handler in handlers:
                handler.removeFilter(quiet)
        self.previewed += len(pages)
        return True


class _Silence(logging.Filter):
    def filter(self, record):
        return False


def mirror(source, target):
    """Make target a copy of source by hard links (a copy where the file system has none). MkDocs
    removes a site's files before it writes them anew, so the links keep the old bytes."""
    shutil.rmtree(target, ignore_errors=True)
    for parent, _, names in os.walk(source):
        here = os.path.join(target, os.path.relpath(parent, source))
        os.makedirs(here, exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(parent, name), os.path.join(here, name))
            except OSError:
                shutil.copy2(os.path.join(parent, name), os.path.join(here, name))


def _replace(source, target):
    """Copy source over target with one rename (target may be a hard link to an older file)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".preview-")
    with os.fdopen(fd, "wb") as out, open(source, "rb") as fh:
        out.write(fh.read())
    os.replace(temporary, target)


class _RequestsAsInfo(logging.Filter):
    """The server's request lines (a 404 is a warning) while the full build runs after a preview:
    MkDocs holds requests during a build, so they never counted as the build's warnings; now the
    copy answers them meanwhile, and under `strict: true` they would fail the build."""

    def filter(self, record):
        if record.levelno == logging.WARNING:
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


REQUESTS_AS_INFO = _RequestsAsInfo()


def show_preview(server, shown):
    """Serve the copy with the previewed pages, and tell the browsers (MkDocs' LiveReloadServer
    holds every request while a build runs: the copy is complete, so it is served meanwhile)."""
    from mkdocs.livereload import _timestamp

    logging.getLogger("mkdocs.livereload").addFilter(REQUESTS_AS_INFO)
    server.root = shown
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch = _timestamp()
        server._epoch_cond.notify_all()


def show_build(server, site_dir):
    """Serve MkDocs' own folder again; the build that just ran counts as newer than the preview."""
    from mkdocs.livereload import _timestamp

    time.sleep(0.002)  # its epochs are milliseconds
    with server._epoch_cond:
        server._wanted_epoch = _timestamp()
        server.root = site_dir
    logging.getLogger("mkdocs.livereload").removeFilter(REQUESTS_AS_INFO)


def faster_watcher(server):
    """Look for changes every POLL_SECONDS instead of MkDocs' 0.5 s."""
    observer = server.observer
    observer._timeout = POLL_SECONDS
    for emitter in list(observer.emitters):
        emitter._timeout = POLL_SECONDS
