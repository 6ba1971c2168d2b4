"""Each page's theme output (Material's templates around its content), kept between builds.

After the Markdown, MkDocs renders every page through the theme's Jinja templates: about a fifth
of a no-change build, for output that changes only when what the templates read changes. They read
the template context: the page (its content, table of contents, title, meta, URLs, neighbours),
the navigation (every item's title, URL, meta, and which items are active for this page), the
configuration, the extra stylesheets and scripts, MkDocs' version; and the theme: the template
files themselves and the Jinja environment's globals and filters. The template store keeps each
rendered output under a key of all of those; a page whose context holds something it cannot
describe (an object that is not plain data, `build_date_utc` in a template) is rendered as if
there were no store.

`wrap(env)` (from the plugin's on_env) makes the environment hand out `StoredTemplate`s: the real
template is loaded and rendered only for a key the store does not hold.
"""

import datetime
import hashlib
import importlib.util
import json
import os

from execdocs.store import ResultStore, content_key, package_version

VERSIONED = ("jinja2", "markupsafe", "mkdocs", "mkdocs-material", "properdocs")
PACKAGED_THEMES = {"material": "mkdocs-material", "mkdocs": "mkdocs", "properdocs": "properdocs"}
# the context MkDocs gives every template (mkdocs/commands/build.py: get_context); the store
# describes each of them itself, and any other key as plain data
KNOWN_CONTEXT = {"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version", "build_date_utc"}
KNOWN_CONTEXT |= {"config", "page"}
# configuration that no template reads, or that the key holds in another form (the navigation),
# or that is a path of this machine
LEFT_OUT_CONFIG = {"config_file_path", "docs_dir", "site_dir", "dev_addr", "watch", "nav", "pages"}
LEFT_OUT_CONFIG |= {"not_in_nav", "exclude_docs", "draft_docs", "hooks"}
VOLATILE_NAMES = ("build_date_utc",)  # a template that reads one of these is never stored
# execdocs' own options (run the snippets or not, the device, ...) change a page through its
# content, which the key holds; they are left out of the key unless a template names execdocs
OWN_PLUGIN = "execdocs"


class Uncachable(Exception):
    """This template's output depends on something the key cannot hold."""


class TemplateStore:
    def __init__(self, path):
        self.store = ResultStore(path)
        self.versions = " ".join(f"{name} {package_version(name)}" for name in VERSIONED)
        self.start_build()

    def start_build(self):
        self.rendered = self.reused = 0
        self.unkeyed = {}  # template or page -> why it was not stored
        self._config = self._config_key = self._env_key = None
        self._nav = self._nav_key = None
        self.own_options_read = True

    def wrap(self, env):
        """Make env.get_template hand out StoredTemplates for HTML templates; returns env."""
        get_template = env.get_template
        store = self

        def stored_get_template(name, *args, **kwargs):
            if isinstance(name, str) and name.endswith(".html") and not args and not kwargs:
                return StoredTemplate(store, env, name, lambda: get_template(name))
            return get_template(name, *args, **kwargs)

        env.get_template = stored_get_template
        try:
            theme, self.own_options_read = _theme_key(env)
            self._env_key = content_key(self.versions, _describe_env(env), theme)
        except Uncachable as why:
            self.unkeyed["theme"] = str(why)
        return env

    def summary(self):
        line = f"templates: {self.rendered} rendered, {self.reused} from the template store"
        if self.unkeyed:
            first = sorted(self.unkeyed.items())[0]
            line += f"; {len(self.unkeyed)} not stored ({first[0]}: {first[1]})"
        return line

    def _navigation_key(self, nav):
        """The navigation but for which items are active: the same for every page of a build."""
        if nav is not self._nav:
            self._nav_key = content_key(_json([_nav_item(i) for i in nav.items]))
            self._nav = nav
        return self._nav_key

    def key(self, name, context):
        if self._env_key is None:
            raise Uncachable(self.unkeyed.get("theme", "the theme was not described"))
        config = context.get("config")
        if config is not self._config:
            described = _config(config)
            if not self.own_options_read and OWN_PLUGIN in described.get("plugins", {}):
                described["plugins"] = {**config["plugins"], OWN_PLUGIN: "options left out"}
            self._config_key = content_key(_json(described))
            self._config = config
        described = {}
        for item, value in sorted(context.items()):
            if item in ("config", "build_date_utc"):
                continue
            if item == "page":
                value = None if value is None else _page(value)
            elif item == "nav":
                value = None if value is None else [self._navigation_key(value), _active_path(value.items)]
            elif item == "pages":
                value = [f.src_uri for f in value]
            described[item] = value
        return content_key(self._env_key, self._config_key, name, _json(described))


class StoredTemplate:
    """The part of a Jinja template MkDocs uses (`render`), answered from the store when it can."""

    def __init__(self, store, env, name, load):
        self.store, self.env, self.name, self._load, self._template = store, env, name, load, None

    @property
    def template(self):
        if self._template is None:
            self._template = self._load()
        return self._template

    def __getattr__(self, name):  # anything else a plugin may ask of the template
        return getattr(self.template, name)

    def render(self, *args, **kwargs):
        context = dict(*args, **kwargs)
        page = context.get("page")
        shown = self.name if page is None else page.file.src_uri
        try:
            key = self.store.key(self.name, context)
        except Uncachable as why:
            self.store.unkeyed[shown] = str(why)
            return self.template.render(context)
        output = self.store.store.get(key)
        if output is None:
            output = self.template.render(context)
            self.store.rendered += 1
        else:
            self.store.reused += 1
        self.store.store.keep(key, output)
        return output


def _page(page):
    def neighbour(other):
        return None if other is None else [other.title, other.url]

    return {
        "src": page.file.src_uri,
        "dest": page.file.dest_uri,
        "url": page.url,
        "abs_url": page.abs_url,
        "canonical_url": page.canonical_url,
        "edit_url": page.edit_url,
        "title": page.title,
        "meta": page.meta,
        "homepage": page.is_homepage,
        "toc": [_toc_item(i) for i in page.toc],
        "content": hashlib.sha256((page.content or "").encode("utf-8", "surrogatepass")).hexdigest(),
        "previous": neighbour(page.previous_page),
        "next": neighbour(page.next_page),
        "ancestors": [a.title for a in page.ancestors],
    }


def _toc_item(item):
    return [item.title, item.url, item.level, [_toc_item(c) for c in item.children]]


def _active_path(items):
    """The positions of the active items (the page and the sections that hold it), top down."""
    for position, item in enumerate(items):
        if item.active:
            return [position, *_active_path(item.children or [])]
    return []


def _nav_item(item):
    described = {"kind": type(item).__name__, "title": item.title}
    if item.is_page:
        described.update(url=item.url, meta=item.meta, src=item.file.src_uri, canonical=item.canonical_url)
    elif item.is_link:
        described["url"] = item.url
    if item.children:
        described["children"] = [_nav_item(c) for c in item.children]
    return described


def _config(config):
    return {name: value for name, value in config.items() if name not in LEFT_OUT_CONFIG}


def _describe_env(env):
    return _json(
        {
            "globals": {name: _callable_name(v) for name, v in env.globals.items() if callable(v)},
            "global data": {name: v for name, v in env.globals.items() if not callable(v)},
            "filters": {name: _callable_name(v) for name, v in env.filters.items()},
            "tests": {name: _callable_name(v) for name, v in env.tests.items()},
        }
    )


def _theme_key(env):
    """The template files: a packaged theme by its version, any other folder by its files' bytes;
    and whether a template there names execdocs."""
    parts, names_own = [], False
    for folder in env.loader.searchpath:
        package = _packaged_theme(folder)
        if package:
            parts.append(f"{package} {package_version(package)}")
            continue
        for parent, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(parent, name)
                with open(path, "rb") as fh:
                    data = fh.read()
                if any(v.encode() in data for v in VOLATILE_NAMES):
                    raise Uncachable(f"{os.path.relpath(path)} reads {', '.join(VOLATILE_NAMES)}")
                names_own = names_own or OWN_PLUGIN.encode() in data
                parts += [os.path.relpath(path, folder), data]
    return content_key(*parts), names_own


def _packaged_theme(folder):
    folder = os.path.realpath(folder)
    for module, package in PACKAGED_THEMES.items():
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.origin:
            continue
        base = os.path.realpath(os.path.dirname(spec.origin))
        if os.path.commonpath([folder, base]) == base:
            return package
    return None


def _json(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)


def _plain(value):
    """JSON for the configuration's and context's objects that are not plain data."""
    from mkdocs.plugins import BasePlugin, PluginCollection
    from mkdocs.theme import Theme

    if isinstance(value, Theme):  # its locale, a babel Locale, by its name
        return {"name": value.name, **dict(value), "locale": str(value["locale"])}
    if isinstance(value, PluginCollection):
        return {name: plugin for name, plugin in value.items()}
    if isinstance(value, BasePlugin):
        return {"plugin": type(value).__module__ + "." + type(value).__qualname__, "config": value.config}
    if hasattr(value, "items") and callable(value.items):
        return dict(value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, (tuple, list)):
        return list(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if callable(value):
        return _callable_name(value)
    if type(value).__module__.startswith(("mkdocs.", "properdocs.")) and hasattr(value, "__dict__"):
        return {"type": type(value).__qualname__, **{k: v for k, v in vars(value).items() if not k.startswith("_")}}
    raise Uncachable(f"{type(value).__qualname__} is not plain data")


def _callable_name(value):
    name = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    if name == ".":
        raise Uncachable(f"{value!r} has no name")
    return name
