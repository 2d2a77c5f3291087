"""Serve the whole built site while sphinx-autobuild rebuilds the English pages on edits.

sphinx-autobuild serves the folder it builds into, ``html/en``, so the site's root page,
the language switch and every ``/ko/`` address answered 404. This runs sphinx-autobuild
unchanged (same arguments, same watching, same live reload), except that its web server
serves the output folder's parent: ``/index.html``, ``/en/...`` and ``/ko/...``. The
Korean pages are served as last built; ``nox -s docs`` rebuilds them.

Usage (what ``nox -s docs -- --serve`` runs)::

    python -m keras_model_guide.tools.serve_site [sphinx-autobuild options] docs docs/_build/html/en
"""

from __future__ import annotations

import sys
from pathlib import Path

import sphinx_autobuild.__main__ as autobuild


def main(argv: list[str]) -> None:
    """Run sphinx-autobuild with ``argv``, serving the parent of its output folder."""
    create_app = autobuild._create_app  # (watch_dirs, ignore_handler, builder, out_dir, url)

    def create_site_app(*args: object) -> object:
        *before, out_dir, url_host = args
        return create_app(*before, Path(str(out_dir)).parent, url_host)

    autobuild._create_app = create_site_app
    autobuild.main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
