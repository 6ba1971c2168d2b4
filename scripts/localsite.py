"""Helpers shared by the developer tools (benchmark, page weight) and the tests: a local static
host for a built site, the list of its pages, a throwaway copy of the project, a process check.
Nothing in the build imports this module."""

import functools
import gzip
import http.server
import mimetypes
import os
import shutil
import socket
import sys
import threading
import time

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}
PROJECT_LEFT_OUT = (".venv", "node_modules", "_build", "site", ".git", "__pycache__", ".cache", "*.egg-info")


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    """GET only; gzip for text types when the browser accepts it; counts bytes sent and raw bytes."""

    def __init__(self, *args, site, counter, delays, **kwargs):
        self.site, self.counter, self.delays = site, counter, delays
        super().__init__(*args, **kwargs)

    def log_message(self, *args):
        pass

    def _file(self):
        path = self.path.split("?")[0].split("#")[0]
        full = os.path.normpath(os.path.join(self.site, path.lstrip("/")))
        if not full.startswith(self.site):
            return None
        if os.path.isdir(full):
            full = os.path.join(full, "index.html")
        return full if os.path.isfile(full) else None

    def do_GET(self):
        full = self._file()
        name = os.path.basename(full or "")
        if name in self.delays:
            time.sleep(self.delays[name])
        if full is None:
            body, headers, status, raw = b"not found", {"Content-Type": "text/plain"}, 404, 9
        else:
            with open(full, "rb") as fh:
                body = fh.read()
            raw = len(body)
            ctype = mimetypes.guess_type(full)[0] or "application/octet-stream"
            headers = {"Content-Type": ctype, "Cache-Control": "max-age=600"}
            if os.path.splitext(full)[1] in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, 6)
                headers["Content-Encoding"] = "gzip"
            status = 200
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        head = sum(len(line) for line in self._headers_buffer) + 2  # before end_headers sends them
        self.end_headers()
        self.wfile.write(body)
        self.counter.add(self.path, len(body) + head, raw)


class _Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.sent, self.raw, self.paths = 0, 0, []

    def add(self, path, sent, raw):
        with self.lock:
            self.sent += sent
            self.raw += raw
            self.paths.append((path, sent))

    def take(self):
        with self.lock:
            return self.sent, self.raw, list(self.paths)


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # a browser that closes a connection mid-answer (a page left while it loads) is not an error
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class SiteServer:
    """A static host for one built site on a free localhost port, serving as GitHub Pages does
    (text gzip-compressed, a cache header), and counting every byte it sends. delays: {file name:
    seconds} to hold those files back (a file that comes late, as on a slow connection)."""

    def __init__(self, site, delays=None):
        self.counter = _Counter()
        delays = {name: min(float(seconds), 30.0) for name, seconds in (delays or {}).items()}  # bounded
        handler = functools.partial(_CountingHandler, site=os.path.abspath(site), counter=self.counter, delays=delays)
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port():
    """A TCP port on localhost that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_pages(site):
    """URL paths of every built page ("" for the home page), found by walking the site folder."""
    pages = []
    for folder, _, files in os.walk(site):
        rel = os.path.relpath(folder, site).replace(os.sep, "/")
        if "index.html" in files and not rel.startswith(("search", "assets")):
            pages.append("" if rel == "." else rel + "/")
    return sorted(pages)


def copy_project(root, destination, cache=None):
    """A throwaway copy of the project at root: its sources, node_modules by link, and (cache:
    a snippet cache folder) the stored snippet runs, whose keys depend on content only."""
    shutil.copytree(root, destination, ignore=shutil.ignore_patterns(*PROJECT_LEFT_OUT))
    os.symlink(os.path.join(root, "node_modules"), os.path.join(destination, "node_modules"))
    if cache and os.path.isdir(cache):
        shutil.copytree(cache, os.path.join(destination, "_build", "cache"))
    return destination


def alive(pid):
    """True if pid runs (a killed process left as a zombie by a non-reaping init counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
