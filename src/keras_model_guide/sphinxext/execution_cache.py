"""Repair a damaged execution cache before the build reads from it, and say what was done.

The executed notebooks live in a jupyter-cache folder (conf.py's
``nb_execution_cache_path``): an SQLite database of records and one ``base.ipynb`` per
record. A damaged database (a disk full, a copy cut short) ended every build with
``sqlite3.DatabaseError`` inside "Sphinx parallel build error!", and a record whose
notebook was gone with a ``KeyError``, on every rebuild until someone deleted the right
folder by hand.

Before any page is read, this checks the cache in the main process. A database that SQLite
cannot read (``PRAGMA quick_check``) is moved aside, whole, beside the cache, and a fresh
one starts: every page executes again. A record whose notebook is missing or unreadable is
dropped: only that page executes again. Each repair is one line on the console.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _database_problem(database: Path) -> str | None:
    """Why SQLite cannot use ``database`` (None when it can)."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
            connection.execute("SELECT pk, hashkey FROM nbcache").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        return str(error)
    return None if result and result[0] == "ok" else str(result and result[0])


def repair(cache: Path) -> list[str]:
    """Make the jupyter-cache folder ``cache`` usable; return what was done, one line each."""
    database = cache / "global.db"
    if not database.is_file():
        return []
    if problem := _database_problem(database):
        aside = cache.with_name(f"{cache.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        cache.rename(aside)
        return [
            (
                f"the execution cache {cache} could not be read ({problem}): moved it to "
                f"{aside} and started an empty one, so every page executes again; delete the "
                "old folder when you no longer need it"
            )
        ]
    done = []
    connection = sqlite3.connect(database)
    try:
        for pk, hashkey in connection.execute("SELECT pk, hashkey FROM nbcache").fetchall():
            notebook = cache / "executed" / hashkey / "base.ipynb"
            try:
                json.loads(notebook.read_text(encoding="utf-8"))
                continue
            except FileNotFoundError:
                reason = "is missing"
            except (OSError, ValueError):
                reason = "cannot be read"
            connection.execute("DELETE FROM nbcache WHERE pk = ?", (pk,))
            connection.commit()
            shutil.rmtree(notebook.parent, ignore_errors=True)
            done.append(
                f"the execution cache's notebook {notebook} {reason}: dropped its record "
                f"(pk {pk}), so the page that used it executes again"
            )
    finally:
        connection.close()
    return done


def _repair(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    path = env.mystnb_config.execution_cache_path or ".jupyter_cache"
    for line in repair(Path(path)):
        logger.info("Repaired: %s", line)


def setup(app: Sphinx) -> dict[str, object]:
    """Repair the cache before parallel_build creates it for the workers (priority 500)."""
    app.connect("env-before-read-docs", _repair, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
