"""The MkDocs plugin: runs the snippets before each build and puts their outputs into the site.

`mkdocs build` and `mkdocs serve` both run the snippet runner first (only changed snippets run),
check every page and snippet, fill value placeholders, render formulas with KaTeX at build time,
serve self-hosted fonts and a search that folds Vietnamese diacritics, and turn each snippet's run
into a notebook page. State lives on the plugin instance, which MkDocs keeps for a whole `serve`
session (the plugin defines on_startup), so the warm worker and the stores outlive each rebuild.
"""

import logging
import os
import threading

import jinja2

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from execdocs import patches
from execdocs.check import site as sitechecks
from execdocs.check.text import UnreadableText
from execdocs.notebooks import assets as notebookassets
from execdocs.notebooks import csspurge, finish, jupyterpages, lessons
from execdocs.notebooks.lessons import LessonError
from execdocs.notebooks.pages import NotebookSection, is_notebook, link_snippets
from execdocs.offline import archive, printpage
from execdocs.plugin.config import ExecDocsConfig
from execdocs.plugin.stores import BuildStores
from execdocs.render import figures, fonts, glossary, math, search, slugs, values
from execdocs.report import page as reportpage
from execdocs.run.forkserver import WarmWorker
from execdocs.run.limits import cut_outputs
from execdocs.run.runner import Runner, SnippetFailure, discover, warm_up
from execdocs.serve import preview
from execdocs.store import content_key, write_if_changed

KATEX_CSS = "assets/katex/katex.min.css"
log = logging.getLogger("mkdocs.plugins.execdocs")


class _QuietNotebookInfo(logging.Filter):
    """mkdocs-jupyter logs a line or two per notebook page at INFO on every build ("Cache hit",
    "Cache miss", "Converting notebook", "Evicted stale cache": 72 lines on a cold build), which
    bury the lines a contributor needs. Its warnings and errors still show."""

    def filter(self, record):
        return record.levelno > logging.INFO


class _WarningCount(logging.Handler):
    """Counts the warnings of a build, as MkDocs' strict mode does: a build that --strict fails
    does not save the page store."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _made(folder):
    os.makedirs(folder, exist_ok=True)
    return folder


def _fail(message):
    raise PluginError("\n" + message)


def _stop_on(errors):
    if errors:
        _fail(
            f"{len(errors)} problem(s) found, so the site was not built (see docs/dong-gop.md):\n" + "\n".join(errors)
        )


class ExecDocsPlugin(BasePlugin[ExecDocsConfig]):
    def __init__(self):
        self.worker = WarmWorker()
        self.stores = None  # a BuildStores, made on the first build of this process
        self.jupyter = None  # a jupyterpages.NotebookPages when mkdocs.yml sets notebook_pages
        self.root = self.build_dir = self.out_root = self.snippets_dir = self.site_dir = None
        self.serving = False
        self.notebooks = None
        self.katex = None
        self.figure_sizes = {}
        self.anchors = {}  # page src_uri -> the ids on the built page, for "did you mean" on broken anchors
        self.sources = {}  # page src_uri -> its Markdown, for the lines of formula errors
        self.rendered = {}  # page src_uri -> its rendered content, for the print page
        self.stylesheets, self.notebook_classes, self.notebook_pages = {}, set(), []
        self.warnings = _WarningCount()
        self.preview = preview.Preview()
        self.built_files = self.built_nav = self.built_env = None

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_shutdown(self):
        self.worker.close()
        if self.jupyter is not None:
            self.jupyter.close()
        self.preview.close()

    def on_config(self, config):
        self.root = os.path.dirname(os.path.abspath(config.config_file_path))
        self.build_dir = os.path.join(self.root, self.config.build_dir)
        self.out_root = os.path.join(self.build_dir, "out")
        self.snippets_dir = os.path.join(self.root, self.config.snippets_dir)
        self.site_dir = config.site_dir
        if self.stores is None:  # loaded once per process: under serve they serve every rebuild
            try:
                self.stores = BuildStores(self.build_dir, self.config.notebook_pages)
            except jupyterpages.NotebookPagesError as error:
                _fail(str(error))
            self.jupyter = self.stores.jupyter
        try:
            patches.route_highlighting(self.stores.highlight)
            patches.route_page_rendering(self.stores.pages if self.config.page_store else None)
            patches.route_search_indexing(self.stores.search)
        except patches.PatchError as error:
            _fail(str(error))
        if self.serving and self.config.run_snippets and self.config.warm_worker:
            # torch loads in the worker while serve starts, so the first edit does not wait for it
            threading.Thread(target=warm_up, args=(self.worker, self.snippets_dir, log.info), daemon=True).start()
        for name in ("mkdocs.plugins.mkdocs_jupyter", "mkdocs.mkdocs-jupyter"):  # its plugin, its converter
            jupyter_log = logging.getLogger(name)
            if not any(isinstance(f, _QuietNotebookInfo) for f in jupyter_log.filters):
                jupyter_log.addFilter(_QuietNotebookInfo())
        for stylesheet in (KATEX_CSS, fonts.STYLESHEET):
            if stylesheet not in config.extra_css:
                config.extra_css.insert(0, stylesheet)
        config.mdx_configs.setdefault("toc", {})["slugify"] = slugs.slugify
        sitechecks.locate_link_warnings(config.docs_dir, self.anchors)
        try:
            self.terminology = glossary.load(os.path.join(self.root, glossary.TERMS_FILE))
        except glossary.GlossaryError as error:
            _fail(str(error))
        # the terms page includes the table, every page gets the hover definitions (mkdocs.yml)
        write_if_changed(os.path.join(self.build_dir, glossary.TABLE), glossary.table_markdown(self.terminology))
        abbreviations = glossary.abbreviations_markdown(self.terminology)
        write_if_changed(os.path.join(self.build_dir, glossary.ABBREVIATIONS), abbreviations)
        try:
            self.notebooks = NotebookSection(config, discover(self.snippets_dir))
        except UnreadableText as error:  # before the text checks of on_pre_build: same message
            _fail(f"1 problem(s) found, so the site was not built (see docs/dong-gop.md):\n{error}")
        self.notebooks.expand_nav(config)
        return config

    def on_pre_build(self, *, config):
        self.sources.clear()
        self.rendered.clear()
        self.figure_sizes = {}  # SVG path -> (width, height), read once per build
        self.stylesheets.clear()
        self.notebook_classes.clear()
        self.notebook_pages.clear()
        self.stores.start_build(self.config.page_store)
        self.warnings.count = 0
        logging.getLogger("mkdocs").addHandler(self.warnings)
        if self.serving:  # what the next preview compares with (execdocs/serve/preview.py)
            theme_dirs = [d for d in config.theme.dirs if d.startswith(self.root + os.sep)]
            folders = [config.docs_dir, self.snippets_dir, os.path.join(self.root, "includes"), *theme_dirs]
            self.preview.start_build(folders, [config.config_file_path, *config.watch])
        runner = self._runner() if self.config.run_snippets else None
        if runner is not None:  # torch imports in the worker while the pages are checked
            runner.warm_up_if_stale()
        spellings = self.terminology.spelling
        _stop_on(sitechecks.source_errors(self.root, config, store=self.stores.text_checks, spellings=spellings))
        if runner is not None:
            try:
                runner.run()
            except SnippetFailure as failure:
                _fail(f"a snippet failed, so the site was not built:\n\n{failure}")
        _stop_on(
            sitechecks.output_errors(
                self.root, config, self.out_root, store=self.stores.text_checks, spellings=spellings
            )
        )
        self.stores.text_checks.results.save()
        for warning in sitechecks.unused_snippets(self.root, config.docs_dir, discover(self.snippets_dir)):
            log.warning(warning)
        for warning in cut_outputs(self.out_root):
            log.warning(warning)

    def _runner(self):
        return Runner(
            self.root,
            self.build_dir,
            device=self.config.device,
            jobs=self.config.jobs,
            log=log.info,
            warm_worker=self.config.warm_worker,
            worker=self.worker,
            on_todo=self._snippets_to_run,
        )

    def _snippets_to_run(self, names):
        if self.jupyter is not None:  # their notebooks will change: the converter loads while they run
            self.jupyter.preload()

    @event_priority(50)  # before mkdocs-jupyter's on_files (priority 0), which turns the notebooks into pages
    def on_files(self, files, *, config):
        if os.path.isdir(self.out_root):
            for name in sorted(os.listdir(self.out_root)):
                folder = os.path.join(self.out_root, name)
                for filename in sorted(os.listdir(folder)):
                    if filename.endswith(".svg"):
                        path = os.path.join(folder, filename)
                        files.append(File.generated(config, f"out/{name}/{filename}", abs_src_path=path))
        report = reportpage.page_markdown(os.path.join(self.build_dir, "report.json"))
        files.append(File.generated(config, reportpage.PAGE, content=report))
        files.append(File.generated(config, KATEX_CSS, content=math.stylesheet(self.root)))
        try:
            self.notebooks.add_files(
                files,
                config,
                self.out_root,
                os.path.join(self.build_dir, "notebook-src"),
                os.path.join(self.build_dir, "lesson-notebooks"),
                self.root,
                self.stores.notebooks,
                jupyterpages.NotebookPageFile if self.jupyter else None,
            )
        except (LessonError, values.ValueError_) as error:
            _fail(str(error))
        if self.jupyter is not None:
            pages = [f.abs_src_path for f in files if isinstance(f, jupyterpages.NotebookPageFile)]
            self.jupyter.prefetch(pages)  # a cold build converts them in workers meanwhile
        for path in math.font_files(self.root):
            files.append(File.generated(config, "assets/katex/fonts/" + os.path.basename(path), abs_src_path=path))
        try:
            fonts.add_files(files, config, self.root)
        except fonts.FontError as error:
            _fail(str(error))
        search.add_files(files, config)
        self.built_files = files
        files.append(File.generated(config, printpage.PAGE, content=printpage.STUB))
        # a real zip is written after the build (on_post_build); this one only lets pages link to it
        files.append(File.generated(config, printpage.ARCHIVE, content=archive.placeholder()))
        return files

    def on_nav(self, nav, *, config, files):
        self.built_nav = nav
        return nav

    def on_env(self, env, *, config, files):
        # compiled templates kept between builds: Jinja checks each file's source before using one
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(_made(os.path.join(self.build_dir, "jinja")))
        if self.config.page_store:
            self.stores.templates.wrap(env)
        self.built_env = env
        return env

    def on_pre_page(self, page, *, config, files):
        if self.jupyter is not None and is_notebook(page):
            page.render = lambda config, files: self.jupyter.render(page)
        return page

    def on_page_markdown(self, markdown, *, page, config, files):
        if is_notebook(page):
            return markdown
        path = os.path.join(os.path.basename(config.docs_dir), page.file.src_uri)
        self.sources[page.file.src_uri] = markdown  # as in the file: messages give its line numbers
        try:
            markdown = values.substitute(markdown, self.out_root, path)
        except values.ValueError_ as error:
            _fail(str(error))
        markdown = link_snippets(markdown, config.repo_url)  # adds lines: last, after every line-numbered check
        if page.file.src_uri in self.notebooks.lessons:
            markdown = lessons.page_links(markdown, page.file.src_uri, config.repo_url)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        if self.katex is None:
            try:
                self.katex = math.KatexRenderer(self.root, os.path.join(self.build_dir, "katex.json"))
            except math.MathError as error:
                _fail(str(error))
        path = os.path.join(os.path.basename(config.docs_dir), page.file.src_uri)
        source = self.sources.get(page.file.src_uri, "")
        if is_notebook(page):
            page.meta["search"] = {"exclude": True}  # the lesson pages, not their notebook copies, are found
            prefix = notebookassets.root_prefix(page.url)
            name = page.file.src_uri.split("/")[1]
            html = finish.finished_html(html, name, prefix, self.out_root, self.stylesheets, self.stores.finished)
        html = figures.sized_figures(html, self.out_root, self.figure_sizes)
        try:
            html = self.katex.render_page(html, source, path)
        except math.MathError as error:
            _fail(str(error))
        self.rendered[page.file.src_uri] = html
        return html

    @event_priority(110)  # every page is rendered by now (MkDocs renders all before any template)
    def on_page_context(self, context, *, page, config, nav):
        if page.file.src_uri == printpage.PAGE:
            leave_out = {"index.md", printpage.PAGE, reportpage.PAGE, *self.config.print_leave_out}
            chapters = [
                (p.file.src_uri, self.rendered[p.file.src_uri])
                for p in nav.pages
                if p.file.src_uri not in leave_out and not is_notebook(p) and p.file.src_uri in self.rendered
            ]
            # each chapter's section kept under a key of its content and the chapters beside it (links
            # between chapters become links within the page): an edit re-makes one section
            slugs = printpage.chapter_slugs(chapters)
            beside = content_key(*sorted(slugs))
            sections = []
            for src_uri, content in chapters:
                key = content_key(self.stores.print_code, src_uri, beside, content)
                section = self.stores.print_page.get(key)
                if section is None:
                    section = printpage.chapter_html(content, printpage.chapter_slug(src_uri), slugs)
                self.stores.print_page.keep(key, section)
                sections.append(section)
            page.content = printpage.joined(page.content, sections)
        return context

    def on_post_page(self, output, *, page, config):
        self.anchors[page.file.src_uri] = set(page.present_anchor_ids or ())
        shown = os.path.join(os.path.basename(config.docs_dir), page.file.src_uri)
        source, notebook = self.sources.get(page.file.src_uri, ""), is_notebook(page)
        # what the checks and the stylesheet purge read of a page, kept under a key of its output
        key = content_key(self.stores.built_page_code, shown, notebook, source, output)
        found = self.stores.built_pages.get(key)
        if found is None:
            found = {
                "errors": sitechecks.built_page_errors(output, shown, source),
                "classes": sorted(csspurge.classes_in(output)) if notebook else [],
            }
        self.stores.built_pages.keep(key, found)
        if notebook:
            self.notebook_classes.update(found["classes"])
            self.notebook_pages.append(page.file.abs_dest_path)
        _stop_on(found["errors"])
        return output

    def on_post_build(self, *, config):
        if self.jupyter is not None:
            self.jupyter.close()
        notebookassets.write(
            config.site_dir,
            self.stylesheets,
            self.notebook_classes,
            self.notebook_pages,
            store=self.stores.notebook_css,
        )
        self._close_katex(save=True)
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.config.page_store:
            for summary in self.stores.summaries():
                log.info(summary)
        # stored warnings are emitted again, but a build that --strict fails keeps nothing of its own
        self.stores.save(self.config.page_store, failed=bool(config.strict and self.warnings.count))
        if not self.serving:  # under serve the placeholder stays: a zip of every rebuild would slow each
            archive.write(config.site_dir, printpage.ARCHIVE, self.build_dir, archive.worker_shim(self.root))
        else:
            self.preview.built(config, self.built_files, self.built_nav, self.built_env)

    def on_build_error(self, *, error):
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        self.preview.forget()
        if self.jupyter is not None:
            self.jupyter.close()
        self._close_katex(save=False)  # nothing of a failed build is kept
        sitechecks.discard_site(self.site_dir)

    def _close_katex(self, save):
        if self.katex is not None:
            self.katex.close(save=save)
            self.katex = None

    def on_serve(self, server, *, config, builder):
        server.watch(self.snippets_dir)
        if self.jupyter is not None:
            # now, while nothing is edited: else the first snippet edit's preview shares the CPU with
            # this import (a preview at 10x the site's size took 3.5 s instead of 1.5 s)
            self.jupyter.preload()
        try:
            patches.check_versions(("mkdocs", "watchdog"))
        except patches.PatchError as error:
            log.info(f"no preview of edits under serve: {error}")
            return server
        preview.faster_watcher(server)
        full_build = server.builder

        site_dir = server.root

        def build_with_preview():
            pages, shown = self._pages_to_preview(), False
            if pages:
                shown = self.preview.render(pages, config.site_url)
                self._close_katex(save=False)  # the full build's KaTeX store starts afresh
                if shown:
                    log.info(f"preview: {', '.join(p.file.src_uri for p in pages)} (the full build follows)")
                    preview.show_preview(server, self.preview.shown)
            try:
                full_build()
            finally:
                if shown:  # after a failed build too: then, as MkDocs does, requests wait for a good one
                    preview.show_build(server, site_dir)
            if self.preview.config is not None:  # it succeeded: the next preview starts from it
                self.preview.copy_site()

        server.builder = build_with_preview
        return server

    def _pages_to_preview(self):
        """The edited pages, and the pages that use an edited snippet once it ran; None: no preview."""
        plan = self.preview.plan(self.snippets_dir)
        if plan is None:
            return None
        pages, snippets = plan
        if snippets:
            if not self.config.run_snippets:
                return None
            # The edited snippets only (their pages are all the preview shows); the full build
            # finds them in the cache. An edited helper module is no snippet: everything runs.
            # (Planning every snippet made a preview at 10x the site's size ~0.5 s slower.)
            names = snippets if set(snippets) <= set(discover(self.snippets_dir)) else None
            try:
                self._runner().run(names)
            except Exception:  # a failing snippet: the full build says where
                return None
            pages += [
                p for p in self.preview.pages_using(snippets, self.sources, sitechecks.snippets_named) if p not in pages
            ]
        return pages or None
