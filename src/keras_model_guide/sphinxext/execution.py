"""Execute the pages safely: the kernels' environment, a failing cell, the cache, ``-j``.

MyST-NB executes each page in a Jupyter kernel while Sphinx reads it.

**The kernels** (with ``guide_kernels = True``) inherit an environment set when the
configuration is read, before MyST-NB reads ``nb_execution_cache_path``:

* the build-side stand-ins (MNIST's host, Graphviz's dot) on their paths, and no
  TensorFlow C++ start-up notes (``TF_CPP_MIN_LOG_LEVEL``);
* the backend this project installs and Python's default warning filters, whatever the
  reader's shell sets (``KERAS_BACKEND=jax`` without jax failed every page;
  ``PYTHONWARNINGS=error`` turned TensorFlow's deprecations into cell errors); the build
  says when it sets a variable aside;
* an IPython profile of the build's own: notes written straight to file descriptor 2
  stay in the build log, and a cell that fails on purpose (``raises-exception``) shows
  the exception without a traceback naming the build machine's folders;
* a ``$KERAS_HOME`` with Keras's default keras.json (a reader's ``"floatx": "float16"``
  published NaN losses) and the user's datasets folder.

One execution cache serves both languages (translation never touches code). Its folder
is named by what outputs depend on beyond the code: uv.lock, the stand-ins, the profile,
Keras's settings and Python. MyST-NB's executed notebooks go to ``_build/jupyter_execute``
instead of the published ``html/``.

**A failing cell.** MyST-NB raising under ``sphinx-build -j`` lost the cell's message
("Sphinx parallel build error!"), so conf.py lets it record the failure
(``nb_execution_raise_on_error = False``) and this extension reports it where the page is
read: the cell's exception, its first line, and the saved traceback, moved from the
published ``<outdir>/reports`` to ``_build/reports/<lang>``. A failed page is read again on
the next build, and the build exits with status 1 even without ``-W``.

**A damaged cache.** A database SQLite cannot read (a full disk, a cut copy) is moved
aside and a fresh one starts; a record whose notebook is missing is dropped, so only that
page executes again. Each repair is one line on the console.

**``sphinx-build -j``.** The main process creates the cache database before the workers
(two workers raced to create it: sphinx-doc/sphinx#12481, closed there as
MyST-NB's, which still creates it in each worker). Each worker leaves the terminal's process group, so
Ctrl-C reaches only the main process, which then ends every process below it (workers
and kernels, no ``ZMQError`` tracebacks) and stops as Sphinx does; SIGTERM does the same.
Each process watches its parent: a worker whose sphinx-build is gone, and a sphinx-build
whose nox is gone (``kill -9``), end their children and exit within a second.
sphinx-build holds ``_build/.sphinx.lock`` while it runs: a second build in the clone
waits. The kernels share the cores (``TF_NUM_*_THREADS``): two kernels each starting a
thread per core slowed each other down.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging as std_logging
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import IO

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from keras_model_guide import offline
from keras_model_guide.sphinxext import pages

try:
    import fcntl  # POSIX: the build lock; Windows builds are not locked
except ImportError:
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

# -- The kernels ----------------------------------------------------------------------

#: The kernels' IPython profile (see the module's docstring).
KERNEL_CONFIG = "c.IPKernelApp.capture_fd_output = False\nc.InteractiveShell.xmode = 'Minimal'\n"
#: The kernels' keras.json: Keras's defaults.
KERAS_CONFIG = {
    "floatx": "float32",
    "epsilon": 1e-07,
    "backend": "tensorflow",
    "image_data_format": "channels_last",
}
#: What the kernels get whatever the reader's shell says (None: unset).
PINNED_ENVIRON = {"KERAS_BACKEND": "tensorflow", "PYTHONWARNINGS": None}


def _prepare_kernels(app: Sphinx, config: Config) -> None:
    """Set the environment every kernel inherits, and the execution cache's folder."""
    if not config.guide_kernels:
        return
    build = Path(app.confdir, "_build")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.update(offline.environ())
    for name, value in PINNED_ENVIRON.items():
        if os.environ.get(name, value) != value:
            logger.info(
                "%s=%s from your environment is not passed to the pages' kernels (%s)",
                name,
                os.environ[name],
                f"they run with {value}" if value else "they use Python's default filters",
            )
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    profile = build / ".ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(KERNEL_CONFIG, encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(profile.parent)
    os.environ["KERAS_HOME"] = str(_keras_home(build / ".keras"))
    if not config.nb_execution_cache_path:  # unless conf.py names one
        key = cache_key(Path(app.confdir))
        config.nb_execution_cache_path = str(build / ".jupyter_cache" / key)


def _keras_home(home: Path) -> Path:
    """The kernels' $KERAS_HOME: Keras's default settings, the user's datasets."""
    user = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    home.mkdir(parents=True, exist_ok=True)
    (home / "keras.json").write_text(json.dumps(KERAS_CONFIG, indent=4), encoding="utf-8")
    if not (home / "datasets").exists():
        with contextlib.suppress(OSError):  # without a user folder, Keras downloads into ours
            (user / "datasets").mkdir(parents=True, exist_ok=True)
            (home / "datasets").symlink_to(user / "datasets", target_is_directory=True)
    with contextlib.suppress(OSError, ValueError):
        theirs = json.loads((user / "keras.json").read_text(encoding="utf-8"))
        differ = {k: v for k, v in theirs.items() if k in KERAS_CONFIG and v != KERAS_CONFIG[k]}
        if differ:
            logger.info(
                "%s sets %s: the pages' kernels use Keras's defaults instead (%s)",
                user / "keras.json",
                ", ".join(f"{k}={v!r}" for k, v in differ.items()),
                home / "keras.json",
            )
    return home


def cache_key(docs: Path) -> str:
    """The execution cache's folder name: what the outputs depend on beyond the code."""
    key = hashlib.sha256(KERNEL_CONFIG.encode())
    key.update(json.dumps(KERAS_CONFIG, sort_keys=True).encode())
    key.update(sys.version.encode())  # the kernels' Python
    # The other backends installed beside TensorFlow: a page may print what this Python can
    # run (customize-fit feeds a PyTorch DataLoader where PyTorch is installed), so a run
    # recorded without them must not stand for one with them.
    key.update(" ".join(n for n in ("jax", "torch") if importlib.util.find_spec(n)).encode())
    stand_ins = [p for p in sorted(offline.HERE.rglob("*")) if "__pycache__" not in p.parts]
    for path in [docs.parent / "uv.lock", *stand_ins]:
        if path.is_file():
            key.update(path.read_bytes())
    return key.hexdigest()[:12]


def _keep_outputs_out_of_the_site(app: Sphinx) -> None:
    """Write MyST-NB's executed notebooks to ``_build/jupyter_execute``, beside the site."""
    if app.config.guide_kernels:
        folder = Path(app.confdir, "_build", "jupyter_execute")
        config = app.env.mystnb_config  # type: ignore[attr-defined]
        app.env.mystnb_config = config.copy(output_folder=str(folder))  # type: ignore[attr-defined]


# -- A failing cell -------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The line that starts the exception in a Python traceback: "ValueError: ...",
# "keras.src.errors.SomeError: ...", "KeyboardInterrupt".
_EXCEPTION_LINE = re.compile(
    r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning|Failure)\b(: |:?$)"
)
_RULE = "-" * 18  # nbclient frames the failing cell's source with such lines
_MAX_LINES = 12  # of the exception's message; the saved file has all of it


def reports_folder(app: Sphinx) -> Path:
    """Where a failed page's whole traceback is kept: ``_build/reports/<lang>``, unpublished."""
    return Path(app.srcdir, "_build", "reports", app.config.language or "en")


def summarize(traceback: str) -> tuple[str, str | None]:
    """Return the cell's exception (type and message) and the failing cell's first line.

    ``traceback`` is the text MyST-NB records: Python's traceback of nbclient's
    ``CellExecutionError``, whose message holds the cell's source between two rules of
    dashes, then the kernel's (coloured) traceback.

    >>> text = (
    ...     "Traceback (most recent call last):\\n  ...\\n"
    ...     "nbclient.exceptions.CellExecutionError: An error occurred while executing "
    ...     "the following cell:\\n------------------\\n\\nimport jax\\nx = 1\\n"
    ...     "------------------\\n\\n\\x1b[31m---------\\x1b[0m\\n"
    ...     "\\x1b[31mModuleNotFoundError\\x1b[0m: No module named 'jax'\\n"
    ... )
    >>> summarize(text)
    ("ModuleNotFoundError: No module named 'jax'", 'import jax')
    """
    text = _ANSI.sub("", traceback)
    cell = None
    if _RULE in text:
        # "...following cell:\n<rule>\n<source>\n<rule>\n\n<kernel traceback>"
        parts = text.split(f"\n{_RULE}\n")
        if len(parts) >= 3:  # before, source, after
            source = [line for line in parts[1].splitlines() if line.strip()]
            cell = source[0].strip() if source else None
            text = f"\n{_RULE}\n".join(parts[2:])
    lines = text.rstrip().splitlines()
    starts = [i for i, line in enumerate(lines) if _EXCEPTION_LINE.match(line)]
    tail = lines[starts[-1] :] if starts else [line for line in lines if line.strip()][-3:]
    if len(tail) > _MAX_LINES:
        tail = [*tail[:_MAX_LINES], "..."]
    return "\n".join(tail).strip(), cell


def _report(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    result = NbMetadataCollector.get_exec_data(app.env, docname)
    if not result:
        return
    # Where MyST-NB saves a failed page's traceback (inside the output folder), and where
    # it goes instead, outside what is published.
    parts = f"{docname}.err.log".split("/")
    written = Path(app.outdir, "reports", *parts)
    saved = reports_folder(app).joinpath(*parts)
    if result.get("succeeded", True):
        saved.unlink(missing_ok=True)  # a stale report must not outlive the fix
        written.unlink(missing_ok=True)
        return
    if written.is_file():
        saved.parent.mkdir(parents=True, exist_ok=True)
        written.replace(saved)
        for folder in [*written.parents][: len(parts)]:  # reports/ and its subfolders
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
    pages(app.env, "failed")[docname] = True
    traceback = result.get("traceback") or ""
    error, cell = summarize(traceback) if traceback else (result.get("error") or "?", None)
    where = f" in the cell that starts `{cell}`" if cell else ""
    logger.error(
        "a code cell failed%s:\n    %s\n"
        "  Fix what the error names (a file it points at, an environment variable, the "
        "code), then build again: this page is executed again on the next build. "
        "The whole traceback: %s",
        where,
        error.replace("\n", "\n    "),
        saved,
        location=docname,
        type="execution",
        subtype="failed",
    )


def _fail_build(app: Sphinx, exception: Exception | None) -> None:
    failed = sorted(pages(app.env, "failed"))
    if exception is None and failed:
        logger.error(
            "%d page(s) did not execute: %s. Each error above names its cause.",
            len(failed),
            ", ".join(failed),
        )
        app.statuscode = 1  # even without -W: a page that did not run is not built


class _HideMovedReport(std_logging.Filter):
    """Drop MyST-NB's line naming the report inside the output folder; ours names its new place."""

    def filter(self, record: std_logging.LogRecord) -> bool:
        return "Notebook exception traceback saved in:" not in str(record.msg)


# -- A damaged cache ------------------------------------------------------------------


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
    path = env.mystnb_config.execution_cache_path or ".jupyter_cache"  # type: ignore[attr-defined]
    for line in repair(Path(path)):
        logger.info("Repaired: %s", line)


# -- sphinx-build -j ------------------------------------------------------------------

_main_pid = os.getpid()
_detached: set[int] = set()  # worker processes already in a process group of their own
_locks: dict[Path, IO[str]] = {}  # each open build lock, held until this process exits
_watching: set[int] = set()  # processes whose parent is already watched
WATCH_SECONDS = 0.5  # how often a process checks that the one that started it still runs


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, children first (Linux's /proc; else the workers)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (command) state ppid ...": the command may hold spaces and parentheses.
            ppid = int(stat.read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        parents.setdefault(ppid, []).append(int(stat.parent.name))
    if not parents:  # no /proc (macOS): the workers; their kernels notice and exit
        return [child.pid for child in multiprocessing.active_children() if child.pid]
    found, queue = [], [pid]
    while queue:
        children = parents.get(queue.pop(), [])
        found.extend(children)
        queue.extend(children)
    return found


def _end_descendants() -> None:
    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)  # at once: a busy kernel cannot shut down cleanly
        except OSError:
            continue


def _watch_parent(what: str) -> None:
    """End this process and every process below it soon after its parent is gone.

    A thread, so it runs while the main thread waits inside a kernel call or on a pipe.
    """
    if os.getpid() in _watching:  # Sphinx set up again in the same process
        return
    _watching.add(os.getpid())
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        if what:
            print(f"\n{what} (pid {parent}) has stopped: stopping this build too.", file=sys.stderr)
        _end_descendants()
        os._exit(2)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _take_lock(app: Sphinx) -> None:
    """Hold the clone's build lock while this sphinx-build runs; wait while another holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        return  # type: ignore[unreachable]
    path = Path(app.srcdir, "_build", ".sphinx.lock")
    if path in _locks:  # Sphinx set up again in this process (a test, an API user)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        print(
            f"Another build is running in this clone (sphinx-build, pid {holder}): waiting "
            "for it to finish; its executed pages are then reused. Press Ctrl-C to stop waiting.",
            file=sys.stderr,
            flush=True,
        )
        fcntl.flock(lock, fcntl.LOCK_EX)
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    _locks[path] = lock  # released when this process (and its forked workers) exit


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """End the workers and kernels, then stop the main process as Ctrl-C does."""
    # Once is enough: a second Ctrl-C, or nox's SIGTERM after Ctrl-C, must not interrupt
    # Sphinx's own clean-up with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _end_descendants()
    raise KeyboardInterrupt


def _create_cache(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Create MyST-NB's jupyter-cache database once, before the workers need it."""
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache

    path = env.mystnb_config.execution_cache_path or ".jupyter_cache"  # type: ignore[attr-defined]
    get_cache(path).db.dispose()  # created; forked workers open connections of their own


def truncate_only_when_full() -> None:
    """Let jupyter-cache trim its records only when it holds more than its limit (1000).

    Its ``truncate_caches`` runs after every cached page: one query for the newest 1000
    records, then another for every record not among them. A ``-j`` worker that adds a
    record between the two queries has it deleted before its notebook is written, and
    fails with ``KeyError: 'Notebook file does not exist for cache record'`` (seen once in
    a cold ``-j 2`` build; no upstream issue found on 2026-12-06). With fewer records than
    the limit nothing is deleted anyway, so that case skips both queries.

    >>> from jupyter_cache.cache.main import JupyterCacheBase
    >>> truncate_only_when_full()
    >>> JupyterCacheBase.truncate_caches.__name__
    'truncate_when_full'
    """
    from jupyter_cache.cache.main import JupyterCacheBase

    original = getattr(JupyterCacheBase.truncate_caches, "__wrapped__", None)
    original = original or JupyterCacheBase.truncate_caches

    def truncate_when_full(cache: JupyterCacheBase) -> None:
        if len(cache.list_cache_records()) > cache.get_cache_limit():
            original(cache)

    truncate_when_full.__wrapped__ = original  # type: ignore[attr-defined]
    JupyterCacheBase.truncate_caches = truncate_when_full


def _detach_worker(app: Sphinx, docname: str, source: list[str]) -> None:
    """In a forked worker, leave the terminal's process group before any kernel starts."""
    pid = os.getpid()
    if pid == _main_pid or pid in _detached:
        return
    _detached.add(pid)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the main process's handler is not theirs
    _watch_parent("")  # a worker outlives no sphinx-build, and takes its kernels with it
    try:
        os.setpgid(0, 0)
    except OSError:
        return  # not permitted here: keep the default behaviour


def _share_cores(app: Sphinx) -> None:
    """Give each of the ``-j`` kernels running at once its share of the cores.

    Measured on 2 cores with two pages at a time: 5-15 % faster, and every page's
    outputs the same as with TensorFlow's default threads. A variable the user set wins.
    """
    if app.parallel <= 1:
        return
    threads = str(max(1, (os.cpu_count() or 1) // app.parallel))
    for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        os.environ.setdefault(name, threads)  # the kernels inherit Sphinx's environment


def setup(app: Sphinx) -> dict[str, object]:
    """Set the kernels up, report failed pages, repair the cache, and run ``-j`` safely."""
    global _main_pid  # noqa: PLW0603 - the process that loaded Sphinx, not a forked worker
    _main_pid = os.getpid()
    app.setup_extension("keras_model_guide.sphinxext")  # the pages domain
    app.add_config_value("guide_kernels", False, "env", bool)
    app.connect("config-inited", _prepare_kernels)
    # After MyST-NB's own builder-inited handler (priority 500), which sets the folder.
    app.connect("builder-inited", _keep_outputs_out_of_the_site, priority=600)
    app.connect("builder-inited", _share_cores)
    for handler in std_logging.getLogger("sphinx").handlers:  # Sphinx's console handlers
        handler.addFilter(_HideMovedReport())
    app.connect("doctree-read", _report)
    app.connect("build-finished", _fail_build)
    # Repair the cache, then create it once for the workers.
    app.connect("env-before-read-docs", _repair, priority=400)
    app.connect("env-before-read-docs", _create_cache)
    truncate_only_when_full()  # before the workers fork, so each inherits it
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and hasattr(os, "setpgid"):  # POSIX, and Sphinx run as a program
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        app.connect("source-read", _detach_worker)
        if "NOX_CURRENT_SESSION" in os.environ:
            _watch_parent("The nox session that started this build")
        _take_lock(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
