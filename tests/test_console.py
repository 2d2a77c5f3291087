"""The build's console (keras_model_guide.sphinxext.console): a line per executed page, no start-up chatter.

The fast tests check each piece (the filter, the kernel spec with a real kernel, the page
lines); the slow one builds a tiny project with ``-j 2`` as ``nox -s docs`` does.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from support import docs_extension

console = docs_extension("console")

TCP_WARNING = "Kernel is running over TCP without encryption"


def _record(message: str, level: int = logging.INFO, **extra: str) -> logging.LogRecord:
    record = logging.LogRecord("sphinx.test", level, __file__, 1, message, (), None)
    record.__dict__.update(extra)
    return record


def test_the_console_keeps_progress_and_warnings_and_drops_configuration_dumps():
    quiet = console._Quiet()
    dropped = [
        _record("\x1b[01mmyst v%s:\x1b[39;49;00m %s"),
        _record("myst-nb v%s: %s"),
        _record("Using jupyter-cache at: /x/.jupyter_cache"),
        _record("Using cached notebook: ID=3 [mystnb]", type="mystnb"),
        _record("Writing evaluated template result to %s", subtype="template_evaluation"),
    ]
    kept = [
        _record("reading sources... "),
        _record("Executing notebook failed: X [mystnb.exec]", logging.WARNING, type="mystnb"),
        _record("a code cell failed", logging.ERROR),
    ]
    assert [quiet.filter(record) for record in dropped] == [False] * len(dropped)
    assert [quiet.filter(record) for record in kept] == [True] * len(kept)


@pytest.fixture
def lines(tmp_path, monkeypatch) -> tuple[SimpleNamespace, io.StringIO]:
    """A stand-in Sphinx app with two runs planned; the console's lines land in the buffer."""
    buffer = io.StringIO()
    state = console._State(stream=buffer, total=2, count=multiprocessing.Value("i", 0))
    monkeypatch.setattr(console, "_state", state)
    monkeypatch.setattr(console, "term_width_line", lambda text: text + "\n")  # not a terminal
    env = SimpleNamespace(doc2path=lambda docname: tmp_path / f"{docname}.md")
    return SimpleNamespace(env=env, srcdir=str(tmp_path)), buffer


def test_each_run_prints_its_number_of_all_then_its_time(lines):
    app, buffer = lines
    with console.running(app, "functional", "JAX"):
        pass
    with pytest.raises(RuntimeError), console.running(app, "gan", "PyTorch"):
        raise RuntimeError
    text = re.sub(r"\d+\.\d s", "T s", buffer.getvalue())
    assert text.splitlines() == [
        "executing 1/2 functional.md on JAX",
        "executed 1/2 functional.md on JAX in T s",
        "executing 2/2 gan.md on PyTorch",
        "failed 2/2 gan.md on PyTorch after T s",
    ]


def test_kernels_send_their_own_stderr_to_the_log_and_outputs_to_the_page(
    tmp_path, monkeypatch, capfd
):
    """ipykernel's TCP warning and what C++ writes to fd 2 leave the console; a cell still prints."""
    from jupyter_client.manager import start_new_kernel

    monkeypatch.setenv("JUPYTER_PATH", "")  # restored after the test
    monkeypatch.setattr(console, "_state", console._State())
    app = SimpleNamespace(srcdir=str(tmp_path), config=SimpleNamespace(language="ko"))
    console._kernel_spec(app)
    assert os.environ["JUPYTER_PATH"] == str(tmp_path / "_build" / ".jupyter")
    # As conf.py's profile does: fd 2 is the kernel's own, not the page's.
    manager, client = start_new_kernel(
        kernel_name="python3", extra_arguments=["--IPKernelApp.capture_fd_output=False"]
    )
    outputs = []
    try:
        code = "import os\nos.write(2, b'I0000 port.cc:153] oneDNN\\n')\nprint('to the page')"
        client.execute_interactive(code, output_hook=outputs.append, timeout=60)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert [o["content"].get("text") for o in outputs if o["msg_type"] == "stream"] == [
        "to the page\n"
    ]
    log = (tmp_path / "_build" / "kernels" / "ko.log").read_text(encoding="utf-8")
    assert TCP_WARNING in log
    assert "oneDNN" in log
    console_text = "".join(capfd.readouterr())
    assert TCP_WARNING not in console_text
    assert "oneDNN" not in console_text


# -- A tiny project, built as nox builds the site ------------------------------------

FRONT = "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n"


def _page(title: str, code: str) -> str:
    return f"{FRONT}# {title}\n\n```{{code-cell}} ipython3\n{code}\n```\n"


def _build(docs: Path, *args: str, **env: str) -> tuple[int, str]:
    done = subprocess.run(
        [
            *(str(Path(sys.executable).parent / "sphinx-build"), "-b", "html", "-W", "-n"),
            *("--keep-going", "-j", "2", *args, str(docs), str(docs / "_build" / "html")),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
        check=False,
    )
    # As a reader sees it: under FORCE_COLOR (nox sets it in CI) each line starts with
    # "\r\x1b[K", which clears a progress line in a terminal.
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", done.stdout + done.stderr).replace("\r", "\n")
    return done.returncode, text


@pytest.mark.slow
def test_a_parallel_build_prints_each_page_once_and_no_start_up_chatter(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(
        textwrap.dedent("""
            from pathlib import Path
            extensions = [
                "myst_nb",
                "keras_model_guide.sphinxext.console",
                "keras_model_guide.sphinxext.execution",
            ]
            exclude_patterns = ["_build"]
            nb_execution_mode = "cache"
            nb_execution_cache_path = str(Path(__file__).parent / "_build" / ".jupyter_cache")
            nb_execution_raise_on_error = False
            pygments_style = "a11y-light"  # accessible-pygments calls logging.basicConfig()
        """),
        encoding="utf-8",
    )
    pages = {
        "a": _page("A", "print('a')"),
        "b": _page("B", "print('b')"),
        "bad": _page("Bad", "x = 1\nraise ValueError('the cell says why')"),
    }
    for name, text in pages.items():
        (docs / f"{name}.md").write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\n```{toctree}\na\nb\nbad\n```\n", encoding="utf-8")

    status, text = _build(docs)
    assert status == 1, text
    assert "3 pages: 3 to execute, 0 from the execution cache" in text
    started = re.findall(r"^executing (\d)/3 (\w+)\.md$", text, re.MULTILINE)
    assert sorted(name for _, name in started) == ["a", "b", "bad"]
    assert sorted(number for number, _ in started) == ["1", "2", "3"]  # counted across workers
    for number, name in started:
        verb = "failed" if name == "bad" else "executed"
        line = rf"^{verb} {number}/3 {name}\.md (in|after) \d+\.\d s"
        assert re.search(line, text, re.MULTILINE), text
    assert "ValueError: the cell says why" in text  # the cell's own error
    for noise in (TCP_WARNING, "myst v", "myst-nb v", "Executing notebook with kernel", "[mystnb]"):
        assert noise not in text
    assert TCP_WARNING in (docs / "_build" / "kernels" / "en.log").read_text(encoding="utf-8")

    status, text = _build(docs)  # the failed page runs again; the others come from the cache
    assert "1 page: 1 to execute, 0 from the execution cache" in text
    assert re.search(r"^executing 1/1 bad\.md$", text, re.MULTILINE)

    shutil.rmtree(docs / "_build" / ".jupyter_cache")
    status, text = _build(docs, "-E", KERAS_MODEL_GUIDE_VERBOSE="1")  # the detail is back
    for detail in (TCP_WARNING, "myst v", "Executed notebook in"):
        assert detail in text
