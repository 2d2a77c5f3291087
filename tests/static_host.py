"""Serve the built site the way a static host (Read the Docs, GitHub Pages, Netlify) does.

Python's ``http.server`` sends every file uncompressed and without cache headers, so
Lighthouse's server audits (text compression, cache lifetime) would measure the test
server, not the site. This one does what hosts do:

- gzip for text (HTML, CSS, JS, SVG, JSON, XML) when the browser accepts it;
- ``Cache-Control: public, max-age=31536000, immutable`` for ``_static/`` (Sphinx links
  each file there with a ``?v=<checksum>`` query) and ``_images/`` (MyST-NB names cell
  outputs by their content hash), and ``max-age=600`` for pages, which change in place;
- the site's ``404.html`` with status 404 for a missing file.

By hand: ``python tests/static_host.py docs/_build/html`` prints its URL and serves until
Ctrl-C. It binds 127.0.0.1 on a free port.
"""

from __future__ import annotations

import contextlib
import gzip
import mimetypes
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
COMPRESSIBLE_XML = ("application/xml", "text/xml")
HASHED = ("_static/", "_images/")
YEAR = 365 * 24 * 3600


class StaticHostHandler(BaseHTTPRequestHandler):
    """GET and HEAD for files under ``root``, with gzip and cache headers."""

    root: Path

    def __init__(self, *args: object, root: Path, **kwargs: object) -> None:
        self.root = root
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: a Lighthouse run makes hundreds of requests."""

    def _resolve(self) -> Path | None:
        relative = unquote(urlsplit(self.path).path).lstrip("/")
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            return None
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None

    def _send(self, *, head: bool) -> None:
        path = self._resolve()
        status = HTTPStatus.OK
        if path is None:
            status, path = HTTPStatus.NOT_FOUND, self.root / "404.html"
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        relative = path.relative_to(self.root).as_posix()
        hashed = any(part in relative for part in HASHED)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header(
            "Cache-Control", f"public, max-age={YEAR}, immutable" if hashed else "max-age=600"
        )
        compressible = kind.startswith(COMPRESSIBLE) or kind.startswith(COMPRESSIBLE_XML)
        if compressible and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=9, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_GET(self) -> None:
        """Send a file (or the 404 page)."""
        self._send(head=False)

    def do_HEAD(self) -> None:
        """Send a file's headers only."""
        self._send(head=True)


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) in a thread; yield the base URL."""
    handler = partial(StaticHostHandler, root=root.resolve())
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str]) -> int:
    """Serve the folder named in ``argv`` until interrupted."""
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python tests/static_host.py SITE_FOLDER", file=sys.stderr)
        return 2
    with serve(Path(argv[0])) as url:
        print(f"Serving {argv[0]} at {url} (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
