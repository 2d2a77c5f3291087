"""The build's console: a line per executed page, no start-up chatter (-v: everything).

A build prints Sphinx's own progress, the warnings, and one line when a page starts
executing and one when it is done, counted across the ``-j`` workers::

    executing 3/14 functional.md
    executed 3/14 functional.md in 24.0 s

(``... on JAX`` for backend_runs' runs.) A build that executes nothing says so in one line.

Four sources of noise are silenced where they start; ``sphinx-build -v`` (``nox -s docs --
-v``) or ``KERAS_MODEL_GUIDE_VERBOSE=1`` brings all of them back:

* TensorFlow's C++ start-up ("oneDNN custom operations", ``cudart_stub.cc``, "All log
  messages before absl::InitializeLog()"), twice per kernel. Static initializers log it
  before TF_CPP_MIN_LOG_LEVEL is read, so no variable silences it
  (tensorflow/tensorflow#100442); TF_ENABLE_ONEDNN_OPTS=1 does not either.
* ipykernel's "Kernel is running over TCP without encryption", once per kernel.
  Both are written to the kernel's own stderr, which it inherited from the console (a
  cell's own stderr goes to the page: conf.py's profile sets capture_fd_output = False).
  So the kernels start from a kernel spec named ``python3`` (``_build/.jupyter``, first on
  JUPYTER_PATH) that sends their stderr to ``_build/kernels/<lang>.log``. The kernel
  itself, its Python and the pages' outputs are unchanged. A kernel that dies (a crash,
  ``os._exit``) stops the build: the console then shows the log's last lines.
* accessible-pygments (the a11y Pygments styles) calls ``logging.basicConfig(level=INFO)``
  when the HTML builder loads it, so every library's INFO record reached the console
  (nbclient's "Executing notebook with kernel: python3"). Its root handler is removed.
* MyST's and MyST-NB's configuration reprs, MyST-NB's lines about each page ("Executing
  notebook using temporary CWD", "Using cached notebook: ID=3") and Sphinx's "Writing
  evaluated template result to": they are shown at ``-v`` only.
"""

from __future__ import annotations

import contextlib
import json
import logging as std_logging
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.console import term_width_line

VERBOSE = "KERAS_MODEL_GUIDE_VERBOSE"  # =1: everything, as with -v
_LAST_WORDS = 8  # lines of the kernels' stderr shown when a build stops

# A kernel as ipykernel_launcher starts it, its stderr (fd 2) sent to a log file first.
_LAUNCHER = """\
import os, sys
if sys.path and sys.path[0] == "":
    del sys.path[0]
os.dup2(os.open({log!r}, os.O_WRONLY | os.O_CREAT | os.O_APPEND), 2)
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""


@dataclass
class _State:
    """What this build prints with, set in the main process and inherited by workers."""

    stream: IO[str] | None = None
    started: float = 0.0  # when reading began (time.time())
    total: int = 0  # runs to execute, every backend
    count: Any = None  # a multiprocessing.Value: runs started so far, in every worker
    planned: set[str] = field(default_factory=set)  # docnames that MyST-NB will execute
    kernel_log: Path | None = None


_state = _State()


def verbose(app: Sphinx) -> bool:
    """Whether the detail is wanted: ``-v`` or ``KERAS_MODEL_GUIDE_VERBOSE=1``."""
    return app.verbosity > 0 or os.environ.get(VERBOSE) == "1"


def say(text: str) -> None:
    """Print one line now, from the main process or a ``-j`` worker (whose logs wait)."""
    stream = _state.stream
    if stream is None:
        return
    if term_width_line("").endswith("\r"):  # a terminal: a progress line may be showing
        text = "\r\x1b[K" + text
    stream.write(text + "\n")
    stream.flush()


def _next() -> int:
    if _state.count is None:
        return 0
    with _state.count.get_lock():
        _state.count.value += 1
        return int(_state.count.value)


def _of(number: int) -> str:
    return f"{number}/{max(_state.total, number)}"


@contextlib.contextmanager
def running(app: Sphinx, docname: str, backend: str) -> Iterator[None]:
    """Print a run's start, then its time (backend_runs wraps each run on JAX and PyTorch)."""
    number, started = _next(), time.monotonic()
    where = f"{_source(app, docname)} on {backend}"
    say(f"executing {_of(number)} {where}")
    try:
        yield
    except BaseException:
        say(f"failed {_of(number)} {where} after {time.monotonic() - started:.1f} s")
        raise
    say(f"executed {_of(number)} {where} in {time.monotonic() - started:.1f} s")


# -- Pages that MyST-NB executes -----------------------------------------------------


def _source(app: Sphinx, docname: str) -> str:
    return os.path.relpath(app.env.doc2path(docname), app.srcdir)


def _plan(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Count the runs ahead (main process, before the workers fork), and say so once."""
    _state.started = time.time()
    _state.count = multiprocessing.Value("i", 0)
    _state.planned, _state.total = set(), 0
    if app.config.nb_execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from myst_nb.core.read import is_myst_markdown_notebook

    from keras_model_guide.sphinxext.notebook_files import page_notebook

    caches = {"": get_cache(app.config.nb_execution_cache_path)}
    if "keras_model_guide.sphinxext.backend_runs" in app.extensions:
        from keras_model_guide.sphinxext import backend_runs

        caches.update(
            {name: backend_runs._cache(app, name) for name in backend_runs.installed()[1:]}
        )
    pages, missing = 0, dict.fromkeys(caches, 0)
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if path.suffix != ".md" or not is_myst_markdown_notebook(path.read_text(encoding="utf-8")):
            continue
        pages += 1
        notebook = page_notebook(path)
        for backend, cache in caches.items():
            try:
                cache.match_cache_notebook(notebook)
            except KeyError:
                missing[backend] += 1
                if not backend:
                    _state.planned.add(docname)
    for cache in caches.values():
        cache.db.dispose()  # the forked workers open connections of their own
    _state.total = sum(missing.values())
    if not pages:
        return
    others = sum(count for backend, count in missing.items() if backend)
    if not _state.total:
        say(f"{_pages(pages)} from the execution cache: nothing to execute")
        return
    text = (
        f"{_pages(pages)}: {missing['']} to execute, {pages - missing['']} from the execution cache"
    )
    if others:
        text += f"; {others} runs on the other backends"
    say(text)


_started: dict[str, tuple[int, float]] = {}  # in this process: docname -> (number, time)


def _pages(count: int) -> str:
    """Count pages in words.

    >>> _pages(1), _pages(14)
    ('1 page', '14 pages')
    """
    return f"{count} page" if count == 1 else f"{count} pages"


def _start(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname in _state.planned:
        _started[docname] = (_next(), time.monotonic())
        say(f"executing {_of(_started[docname][0])} {_source(app, docname)}")


def _done(app: Sphinx, doctree: Any) -> None:
    """After MyST-NB has executed the page: its time, as MyST-NB measured it."""
    from myst_nb.sphinx_ import NbMetadataCollector

    docname = app.env.docname
    if docname not in _started:
        return  # not a notebook, or from the cache
    number, started = _started.pop(docname)
    result = NbMetadataCollector.get_exec_data(app.env, docname) or {}
    seconds = result.get("runtime") or time.monotonic() - started
    if result.get("succeeded", True):
        say(f"executed {_of(number)} {_source(app, docname)} in {seconds:.1f} s")
    else:
        say(
            f"failed {_of(number)} {_source(app, docname)} after {seconds:.1f} s (its error follows)"
        )


def _summary(app: Sphinx, env: BuildEnvironment) -> None:
    done = _state.count.value if _state.count is not None else 0
    if done:
        say(f"{done} run(s) executed in {time.time() - _state.started:.0f} s")


def _name_kernel_log(app: Sphinx, exception: Exception | None) -> None:
    log = _state.kernel_log
    # A kernel that died (DeadKernelError) stops the build: its last words are in the log.
    if exception is None or log is None or not log.is_file():
        return
    last = log.read_text(encoding="utf-8", errors="replace").splitlines()[-_LAST_WORDS:]
    if last:
        say(f"The kernels' stderr ends with (all of it: {log}):\n    " + "\n    ".join(last))


# -- Silencing -----------------------------------------------------------------------


class _Quiet(std_logging.Filter):
    """Drop, from Sphinx's console, what only a debugging reader needs."""

    def filter(self, record: std_logging.LogRecord) -> bool:
        if record.levelno >= std_logging.WARNING:
            return True
        message = str(record.msg)
        return not (
            getattr(record, "type", None) == "mystnb"  # MyST-NB's lines about each page
            or getattr(record, "subtype", None) == "template_evaluation"
            or "myst v%s:" in message  # the configuration reprs
            or "myst-nb v%s:" in message
            or message.startswith("Using jupyter-cache at:")
        )


def _kernel_spec(app: Sphinx) -> None:
    """A ``python3`` kernel spec, first on JUPYTER_PATH, whose kernels' stderr goes to a log."""
    from ipykernel.kernelspec import get_kernel_dict

    build = Path(app.srcdir, "_build")
    log = build / "kernels" / f"{app.config.language or 'en'}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")  # this build's kernels only
    spec = get_kernel_dict()
    launcher = spec["argv"].index("-m")  # [python, -m, ipykernel_launcher, -f, {connection_file}]
    spec["argv"][launcher : launcher + 2] = ["-c", _LAUNCHER.format(log=str(log))]
    folder = build / ".jupyter" / "kernels" / "python3"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    paths = [
        str(build / ".jupyter"),
        *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep)),
    ]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    _state.kernel_log = log


def _quiet(app: Sphinx) -> None:
    if verbose(app):
        return
    # accessible-pygments' logging.basicConfig(): the HTML builder has just imported it.
    root = std_logging.getLogger()
    for handler in [h for h in root.handlers if type(h) is std_logging.StreamHandler]:
        root.removeHandler(handler)  # Sphinx's own handlers are on the "sphinx" logger
    root.setLevel(std_logging.WARNING)
    if app.config.nb_execution_mode != "off":
        _kernel_spec(app)


def setup(app: Sphinx) -> dict[str, object]:
    """Print each executed page; silence the start-up chatter unless -v."""
    _state.stream = None if app.quiet else getattr(app, "_status", sys.stdout)
    if not verbose(app):  # MyST's configuration reprs come at builder-inited, before _quiet
        for handler in std_logging.getLogger("sphinx").handlers:
            handler.addFilter(_Quiet())
    app.connect("builder-inited", _quiet, priority=900)
    # After execution_cache's repair (400) and the caches' creation (500).
    app.connect("env-before-read-docs", _plan, priority=600)
    app.connect("source-read", _start)
    # Before execution_errors' report (500), so a failure's line comes before its error.
    app.connect("doctree-read", _done, priority=450)
    app.connect("env-updated", _summary)
    app.connect("build-finished", _name_kernel_log, priority=900)  # after execution_errors
    return {"parallel_read_safe": True, "parallel_write_safe": True}
