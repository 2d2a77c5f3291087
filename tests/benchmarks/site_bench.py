"""Benchmark the bilingual site: how long builds take, and how much a reader downloads.

Run it with ``nox -s bench`` (or ``python tests/benchmarks/site_bench.py`` in an
environment with the docs group). It copies the working tree to a temporary folder and
builds the copy, so it never touches ``docs/_build``; each copy has its own execution
cache because ``conf.py`` puts the cache under the docs folder it is run from.

Every build is the command ``noxfile.build_site`` runs: English, then Korean, reusing
English's execution cache. Measures and their targets:

* ``cold``: both languages from an empty cache, versus English alone (ratio <= 1.15);
* ``noop``: a second build with nothing changed (<= 15 % of the cold bilingual build);
* ``catalog``: after one Korean ``msgstr`` changes (no notebook executes, <= 20 %);
* ``code``: after one code cell changes (only that page's notebook executes);
* ``lesson``: after one lesson function in ``src`` changes (only the pages that inline it
  execute; ``--lesson`` picks the function);
* ``exec``: each page's code run once outside Sphinx, versus the cold build (<= 2.0);
* ``bytes``: first-load bytes of each page, without figures (<= 400 KB), and model plots
  (each SVG < 60 KB);
* ``clone``: a fresh ``git clone`` to a built site with the README's docs command, in a
  fresh venv, installation included (< 6 minutes).

Figures that take under a minute are the median of ``--repeats`` runs (3 by default);
cold builds and the clone run once, so a full run takes 10-15 minutes on 2 cores.
The table goes to stdout, everything measured to ``--json``; the exit status is 1 when
a target is missed. ``--only`` picks measures, ``--jobs`` tries ``sphinx-build -j``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

# English executes the pages; Korean must reuse its cache.
from keras_model_guide.site import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
MEASURES = ("cold", "noop", "catalog", "code", "lesson", "exec", "bytes", "clone")
KB = 1024

TARGETS = {
    "cold_ratio": 1.15,  # cold bilingual / cold English
    "noop_share": 0.15,  # no-op rebuild / cold bilingual
    "catalog_share": 0.20,  # rebuild after one msgstr edit / cold bilingual
    "exec_ratio": 2.0,  # cold bilingual / pure execution
    "page_kb": 400,  # first-load KB per page, figures excluded
    "plot_kb": 60,  # each model plot (SVG)
    "clone_seconds": 6 * 60,
}
# The README's docs command, run in a fresh clone with a fresh venv on PATH.
CLONE_COMMAND = 'python -m pip install "nox[uv]" && nox -s docs --non-interactive'
# Not copied into the benchmark tree: build output, environments, and caches.
COPY_IGNORE = shutil.ignore_patterns("_build", ".nox", ".git", "__pycache__", ".*_cache")
# The console's line for a page that ran on TensorFlow (docs/_ext/console.py).
EXECUTED = re.compile(r"\bexecuted \d+/\d+ (\S+)\.md in ([\d.]+) s")
WARNINGS = re.compile(r"build (?:succeeded|finished with problems)(?:, (\d+) warnings?)?")


@dataclass
class Build:
    """One sphinx-build run: wall time, outcome, and which pages it executed."""

    language: str
    seconds: float
    returncode: int
    warnings: int
    executed: dict[str, float] = field(default_factory=dict)  # page -> kernel seconds


@dataclass
class SiteBuild:
    """Both languages, built one after the other as `nox -s docs` does."""

    builds: list[Build]

    @property
    def seconds(self) -> float:
        """Wall time of the whole site build."""
        return sum(build.seconds for build in self.builds)

    @property
    def executed(self) -> list[str]:
        """Pages whose notebook ran, in any language (Korean should run none)."""
        return [f"{b.language}:{page}" for b in self.builds for page in b.executed]


class Bench:
    """A copy of the project tree, the sphinx options, and the log of every run."""

    def __init__(self, workdir: Path, *, jobs: str | None, strict_ko: bool) -> None:
        self.workdir = workdir
        self.tree = workdir / "tree"
        self.docs = self.tree / "docs"
        self.out = self.docs / "_build"  # the layout of noxfile.build_site
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.jobs = jobs
        self.strict_ko = strict_ko
        self.runs = 0
        shutil.copytree(ROOT, self.tree, ignore=COPY_IGNORE, dirs_exist_ok=True)
        # Autodoc and the kernels import the copy's helpers, not an editable install of
        # the live tree (which others may be editing while the benchmark runs).
        path = filter(None, [str(self.tree / "src"), os.environ.get("PYTHONPATH")])
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}

    def sphinx(self, language: str, label: str) -> Build:
        """Run one language's build and parse its log."""
        # -W on the Korean build is optional: while translators are still working,
        # untranslated entries are warnings, and timing a failing build is still timing.
        strict = ["-W"] if language == "en" or self.strict_ko else []
        jobs = ["-j", self.jobs] if self.jobs else []
        command = [
            *(sys.executable, "-m", "sphinx", "-b", "html", *strict, "-n", "--keep-going"),
            *("-D", f"language={language}", *jobs),
            *("-d", str(self.out / "doctrees" / language)),
            *(str(self.docs), str(self.out / "html" / language)),
        ]
        self.runs += 1
        log = self.logs / f"{self.runs:02d}-{label}-{language}.log"
        start = time.perf_counter()
        with log.open("w", encoding="utf-8") as stream:
            done = subprocess.run(
                command, env=self.env, stdout=stream, stderr=subprocess.STDOUT, check=False
            )
        seconds = time.perf_counter() - start
        text = log.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)  # FORCE_COLOR's codes, if set
        warnings = WARNINGS.search(text)
        executed = {Path(path).name: float(sec) for path, sec in EXECUTED.findall(text)}
        if done.returncode and not (language == "ko" and not self.strict_ko):
            print(
                f"  ! {label}/{language} exited {done.returncode}: {log} (--keep)", file=sys.stderr
            )
        count = int(warnings[1] or 0) if warnings else -1  # -1: Sphinx stopped early
        return Build(language, seconds, done.returncode, count, executed)

    def site(self, label: str) -> SiteBuild:
        """Build both languages in order, as `nox -s docs` does."""
        site = SiteBuild([self.sphinx(language, label) for language in LANGUAGES])
        executed = ", ".join(site.executed) or "nothing"
        print(f"  {label}: {site.seconds:6.1f} s, executed {executed}", file=sys.stderr)
        return site

    def wipe(self, *parts: str) -> None:
        """Delete a part of this copy's build folder (never the project's own)."""
        shutil.rmtree(self.out.joinpath(*parts), ignore_errors=True)


# -- Build timings -------------------------------------------------------------------


def measure_cold(bench: Bench, repeats: int) -> dict:
    """Cold site build; then the Korean build alone again, on English's warm cache.

    The English half of a cold bilingual build *is* a cold English-alone build (Korean
    comes after it and cannot slow it down), so one cold run gives both numbers. Only the
    Korean half is short enough to repeat: it is rebuilt from empty doctrees with the
    execution cache kept, and the median is added to the English time.
    """
    bench.wipe()
    cold = bench.site("cold")
    english, korean = cold.builds
    korean_runs = [korean.seconds]
    for _ in range(repeats - 1):
        bench.wipe("doctrees", "ko")
        bench.wipe("html", "ko")
        korean_runs.append(bench.sphinx("ko", "cold-ko").seconds)
        print(f"  Korean alone, warm cache: {korean_runs[-1]:6.1f} s", file=sys.stderr)
    bilingual = english.seconds + statistics.median(korean_runs)
    return {
        "english_seconds": english.seconds,
        "korean_seconds": korean_runs,
        "bilingual_seconds": bilingual,
        "ratio": bilingual / english.seconds,
        "executed": cold.executed,
        "kernel_seconds": sum(english.executed.values()),
        "builds": [asdict(build) for build in cold.builds],
    }


def measure_noop(bench: Bench, repeats: int) -> dict:
    """Rebuild both languages with nothing changed."""
    runs = [bench.site("noop") for _ in range(repeats)]
    return summarize(runs)


def measure_catalog_edit(bench: Bench, repeats: int, page: str) -> dict:
    """Rebuild after changing one Korean msgstr (a different change each run)."""
    catalog = bench.docs / "locales" / "ko" / "LC_MESSAGES" / f"{page}.po"
    runs = []
    for run in range(repeats):
        edit_first_paragraph_msgstr(catalog, f" (bench {run})")
        runs.append(bench.site("catalog"))
    return {"catalog": catalog.name, **summarize(runs)}


def measure_code_edit(bench: Bench, repeats: int, page: str) -> dict:
    """Rebuild after changing one code cell (a new change each run, so no cache hit)."""
    source = bench.docs / f"{page}.md"
    runs = []
    for run in range(repeats):
        edit_first_code_cell(source, f"# bench edit {run}: only this page should execute.")
        runs.append(bench.site("code"))
    only_this_page = all(site.executed == [f"en:{page}"] for site in runs)
    return {"page": source.name, "only_this_page": only_this_page, **summarize(runs)}


def measure_lesson_edit(bench: Bench, repeats: int, name: str) -> dict:
    """Rebuild after changing one lesson function: only the pages that inline it execute."""
    module, _, function = name.rpartition(".")
    source = bench.tree / "src" / "keras_model_guide" / Path(*module.split(".")).with_suffix(".py")
    users = sorted(
        page.stem
        for page in bench.docs.glob("*.md")
        if re.search(rf"^:inline:.*\b{re.escape(name)}\b", page.read_text("utf-8"), re.MULTILINE)
    )
    runs = []
    for run in range(repeats):
        edit_function_body(source, function, f"# bench edit {run}: only its pages execute.")
        runs.append(bench.site("lesson"))
    expected = [f"en:{page}" for page in users]
    only_its_pages = all(sorted(site.executed) == expected for site in runs)
    return {"function": name, "pages": users, "only_its_pages": only_its_pages, **summarize(runs)}


def edit_function_body(module: Path, function: str, comment: str) -> None:
    """Add a comment as the first line after a top-level function's docstring."""
    text = module.read_text(encoding="utf-8")
    node = next(
        node
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef) and node.name == function
    )
    lines = text.splitlines()
    lines.insert(node.body[0].end_lineno, "    " + comment)
    module.write_text("\n".join(lines) + "\n", encoding="utf-8")


def summarize(runs: list[SiteBuild]) -> dict:
    """Median wall time of repeated site builds, and every page any of them executed."""
    return {
        "seconds": statistics.median(site.seconds for site in runs),
        "runs": [site.seconds for site in runs],
        "executed": sorted({page for site in runs for page in site.executed}),
        "builds": [[asdict(build) for build in site.builds] for site in runs],
    }


def edit_first_paragraph_msgstr(catalog: Path, suffix: str) -> None:
    """Append `suffix` to the first multi-line (paragraph) translation in a .po file.

    A paragraph, not a heading, so the edit changes no anchor or title elsewhere.
    """
    lines = catalog.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line == 'msgstr ""' and lines[number - 1] != 'msgid ""':  # skip the header
            last = number
            while last + 1 < len(lines) and lines[last + 1].startswith('"'):
                last += 1
            if last > number:
                lines[last] = lines[last][:-1] + suffix + '"'
                catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
                return
    raise ValueError(f"{catalog} has no multi-line msgstr to edit; pick another page.")


def edit_first_code_cell(page: Path, comment: str) -> None:
    """Add a comment as the last line of the page's first code cell.

    A comment changes the cell's source (so the cache misses) but not its output.
    """
    lines = page.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("```{code-cell}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] == "```")
    lines.insert(end, comment)
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- Execution outside Sphinx ------------------------------------------------------


def measure_pure_execution(bench: Bench) -> dict:
    """Run every page's code once, each in a fresh kernel as the build does, no Sphinx."""
    import nbclient  # the docs group's; imported here so --help needs nothing installed
    from myst_nb.core.read import read_myst_markdown_notebook

    # The environment the build's kernels get: the copy's helpers, conf.py's settings.
    env = {"TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow", **bench.env}
    pages = {}
    for source in sorted(bench.docs.glob("*.md")):
        text = source.read_text(encoding="utf-8")
        front_matter = text.split("---\n", 2)[1] if text.startswith("---\n") else ""
        if "file_format: mystnb" not in front_matter:
            continue  # a plain Markdown page: nothing to execute
        notebook = read_myst_markdown_notebook(text, path=source)
        log = bench.logs / f"exec-{source.stem}.log"
        # In a temp folder, as the build runs it; the kernel's start-up notes go to the log.
        with tempfile.TemporaryDirectory() as cwd, log.open("w", encoding="utf-8") as stream:
            resources = {"metadata": {"path": cwd}}
            client = nbclient.NotebookClient(notebook, timeout=600, resources=resources)
            start = time.perf_counter()
            client.execute(env=env, stdout=stream, stderr=stream)
            pages[source.stem] = time.perf_counter() - start
        print(f"  exec {source.stem}: {pages[source.stem]:.1f} s", file=sys.stderr)
    return {"seconds": sum(pages.values()), "pages": pages}


# -- What a reader downloads --------------------------------------------------------


class AssetParser(HTMLParser):
    """Collect what a page loads on first view: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the URL of each stylesheet, preload, script and image."""
        attr = dict(attrs)
        rel = (attr.get("rel") or "").split()
        if tag == "link" and {"stylesheet", "preload"} & set(rel) and attr.get("href"):
            self.assets.append(attr["href"])
        elif tag == "script" and attr.get("src"):
            self.assets.append(attr["src"])
        elif tag == "img" and attr.get("src"):
            self.images.append(attr["src"])


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def local_file(base: Path, url: str) -> Path | None:
    """The file a relative URL points to, or None for data:, external and missing URLs."""
    parts = urlsplit(urldefrag(url).url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = (base.parent / parts.path).resolve()
    return path if path.is_file() else None


def css_closure(css: Path, seen: set[Path]) -> None:
    """Add the fonts, images and @imports a stylesheet references (fonts load eagerly)."""
    for url, imported in CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
        path = local_file(css, url or imported)
        if path and path not in seen and path.suffix in {".css", ".woff", ".woff2", ".ttf"}:
            seen.add(path)
            if path.suffix == ".css":
                css_closure(path, seen)


def page_weight(page: Path) -> dict:
    """Bytes of one HTML page with its CSS, JS and fonts; its figures counted apart."""
    parser = AssetParser()
    parser.feed(page.read_text(encoding="utf-8"))
    files = {page}
    for url in parser.assets:
        path = local_file(page, url)
        if path and path not in files:
            files.add(path)
            if path.suffix == ".css":
                css_closure(path, files)
    images = {path for url in parser.images if (path := local_file(page, url))}
    return {
        "kb": sum(path.stat().st_size for path in files) / KB,
        "figures_kb": sum(path.stat().st_size for path in images) / KB,
        "plots_kb": {p.name: p.stat().st_size / KB for p in images if p.suffix == ".svg"},
    }


def measure_page_bytes(bench: Bench) -> dict:
    """Weigh every page built from docs/*.md, in both languages."""
    pages = {}
    for language in LANGUAGES:
        for source in sorted(bench.docs.glob("*.md")):
            html = bench.out / "html" / language / f"{source.stem}.html"
            if html.is_file():
                pages[f"{language}/{source.stem}"] = page_weight(html)
    if not pages:
        raise ValueError("No built pages to weigh: run the cold measure first (--only cold,bytes).")
    plots = {name: kb for page in pages.values() for name, kb in page["plots_kb"].items()}
    heaviest = max(pages, key=lambda name: pages[name]["kb"])
    return {
        "max_page_kb": pages[heaviest]["kb"],
        "heaviest_page": heaviest,
        "max_plot_kb": max(plots.values(), default=0.0),
        "pages": pages,
    }


# -- From a fresh clone --------------------------------------------------------------


def measure_fresh_clone(workdir: Path) -> dict:
    """Clone the repository (its last commit), make a venv, run the README's command."""
    clone, venv = workdir / "clone", workdir / "clone-venv"
    start = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    with (workdir / "logs" / "clone.log").open("w", encoding="utf-8") as log:
        done = subprocess.run(
            ["bash", "-c", CLONE_COMMAND],
            check=False,
            cwd=clone,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    seconds = time.perf_counter() - start
    built = all(
        (clone / "docs" / "_build" / "html" / lang / "index.html").is_file() for lang in LANGUAGES
    )
    print(f"  clone: {seconds:.1f} s, exit {done.returncode}", file=sys.stderr)
    return {"seconds": seconds, "returncode": done.returncode, "site_built": built}


# -- Report --------------------------------------------------------------------------


def rows(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """Table rows: (measure, value, target, met?) for every measure that ran."""
    cold = results.get("cold")
    base = cold["bilingual_seconds"] if cold else None  # what shares are shares of
    table = []
    if cold:
        table += [
            ("cold build, English alone", f"{cold['english_seconds']:.1f} s", "", None),
            ("cold build, both languages", f"{base:.1f} s", "", None),
            ratio_row("  both / English", cold["ratio"], TARGETS["cold_ratio"]),
            ("  Korean half", seconds_text(cold["korean_seconds"]), "", None),
        ]
    for key, label, share in [
        ("noop", "rebuild, nothing changed", TARGETS["noop_share"]),
        ("catalog", "rebuild, one Korean msgstr", TARGETS["catalog_share"]),
        ("code", "rebuild, one code cell", None),
    ]:
        if key in results:
            table.append(rebuild_row(label, results[key], base, share))
            executed = results[key]["executed"]
            if key == "catalog":
                table.append(("  notebooks executed", str(len(executed)), "0", not executed))
            if key == "code":
                page = f"en:{Path(results[key]['page']).stem}"
                met = results[key]["only_this_page"]
                table.append(("  executed", ", ".join(executed) or "nothing", page, met))
    if "lesson" in results:
        lesson = results["lesson"]
        table.append(rebuild_row(f"rebuild, {lesson['function']} edited", lesson, base, None))
        expected = ", ".join(f"en:{page}" for page in lesson["pages"])
        table.append(
            (
                "  executed",
                ", ".join(lesson["executed"]) or "nothing",
                expected,
                lesson["only_its_pages"],
            )
        )
    if "exec" in results:
        pure = results["exec"]["seconds"]
        table.append(("pure execution, all pages", f"{pure:.1f} s", "", None))
        if base:
            table.append(ratio_row("  cold both / pure", base / pure, TARGETS["exec_ratio"]))
    if "bytes" in results:
        weight = results["bytes"]
        page_kb, plot_kb = weight["max_page_kb"], weight["max_plot_kb"]
        page_met, plot_met = page_kb <= TARGETS["page_kb"], plot_kb < TARGETS["plot_kb"]
        table += [
            (
                f"heaviest page ({weight['heaviest_page']})",
                f"{page_kb:.0f} KB",
                "<= 400 KB",
                page_met,
            ),
            ("largest model plot", f"{plot_kb:.1f} KB", "< 60 KB", plot_met),
        ]
    if "clone" in results:
        clone = results["clone"]
        met = clone["site_built"] and clone["seconds"] < TARGETS["clone_seconds"]
        value = f"{clone['seconds']:.0f} s" + ("" if clone["site_built"] else " (FAILED)")
        table.append(("fresh clone to built site", value, "< 360 s", met))
    for name, error in results.get("errors", {}).items():
        table.append((f"{name} (failed)", error[:80], "", False))
    return table


def ratio_row(label: str, ratio: float, target: float) -> tuple[str, str, str, bool]:
    """A ratio against its upper bound."""
    return (label, f"{ratio:.2f}", f"<= {target}", ratio <= target)


def rebuild_row(label: str, result: dict, base: float | None, share: float | None) -> tuple:
    """A rebuild's median time, as a share of the cold bilingual build when known."""
    value = seconds_text(result["runs"])
    if base is None or share is None:
        return (label, value, "", None)
    ratio = result["seconds"] / base
    return (label, f"{value} = {ratio:.0%}", f"<= {share:.0%} of cold", ratio <= share)


def seconds_text(runs: list[float]) -> str:
    """'12.3 s' for one run, '12.3 s (median of 3)' for several."""
    if len(runs) == 1:
        return f"{runs[0]:.1f} s"
    return f"{statistics.median(runs):.1f} s (median of {len(runs)})"


def print_table(table: list[tuple[str, str, str, bool | None]]) -> None:
    """Print the rows as a Markdown table (it pastes into an issue as is)."""
    print("| measure | value | target | met |")
    print("|---|---|---|---|")
    marks = {True: "yes", False: "**NO**", None: ""}
    for measure, value, target, met in table:
        print(f"| {measure} | {value} | {target} | {marks[met]} |")


# -- Command line --------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line; every option has a default that runs the full benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        default=",".join(MEASURES),
        help=f"comma-separated subset of {','.join(MEASURES)} (default: all)",
    )
    parser.add_argument("--skip-clone", action="store_true", help="leave out the fresh clone")
    parser.add_argument("--repeats", type=int, default=3, help="runs per short measure (3)")
    parser.add_argument(
        "--json",
        type=Path,
        default=ROOT / "docs" / "_build" / "bench.json",
        help="where to write every number (default: docs/_build/bench.json)",
    )
    parser.add_argument("--workdir", type=Path, help="where to copy the tree (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and its logs")
    parser.add_argument("--jobs", help="pass -j JOBS to sphinx-build (try 'auto')")
    parser.add_argument("--strict-ko", action="store_true", help="build Korean with -W too")
    parser.add_argument("--code-page", default="index", help="page whose code cell is edited")
    parser.add_argument(
        "--lesson",
        default="lessons.sequential.build_mlp",
        help="lesson function whose body is edited (default: %(default)s)",
    )
    parser.add_argument(
        "--catalog-page", default="sequential", help="catalog whose msgstr is edited"
    )
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(args.only) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measure(s) {sorted(unknown)}; choose from {', '.join(MEASURES)}")
    if args.skip_clone and "clone" in args.only:
        args.only.remove("clone")
    return args


def run(args: argparse.Namespace, workdir: Path) -> dict:
    """Run the chosen measures in an order where each finds what it needs."""
    bench = Bench(workdir, jobs=args.jobs, strict_ko=args.strict_ko)
    steps = {
        "cold": lambda: measure_cold(bench, args.repeats),
        # bytes right after cold: weighs the pages before the edits below touch them.
        "bytes": lambda: measure_page_bytes(bench),
        "noop": lambda: measure_noop(bench, args.repeats),
        "catalog": lambda: measure_catalog_edit(bench, args.repeats, args.catalog_page),
        "code": lambda: measure_code_edit(bench, args.repeats, args.code_page),
        "lesson": lambda: measure_lesson_edit(bench, args.repeats, args.lesson),
        "exec": lambda: measure_pure_execution(bench),
        "clone": lambda: measure_fresh_clone(workdir),
    }
    results = {}
    if "cold" not in args.only and set(args.only) - {"exec", "clone"}:
        bench.site("warm-up")  # the other builds measure changes to a built site
    for name, step in steps.items():
        if name in args.only:
            print(f"{name}:", file=sys.stderr)
            try:
                results[name] = step()
            except Exception as error:  # noqa: BLE001 - keep the other measures of a long run
                print(f"  ! {name} failed: {error!r}", file=sys.stderr)
                results.setdefault("errors", {})[name] = repr(error)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON; exit 1 if a target is missed."""
    args = parse_args(argv)
    load_before = os.getloadavg()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-site-"))
    print(f"Benchmark tree and logs: {workdir}", file=sys.stderr)
    try:
        results = run(args, workdir)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    table = rows(results)
    print_table(table)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            # Other work on the machine slows every build; compare runs at similar load.
            "load_average_before_after": [load_before[0], os.getloadavg()[0]],
            # Set, every process recompiles the modules it imports (TensorFlow: ~4 s more
            # per kernel here) unless the environment was installed with bytecode.
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
        },
        "options": {key: str(value) for key, value in vars(args).items()},
        "table": [
            dict(zip(("measure", "value", "target", "met"), row, strict=True)) for row in table
        ],
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {args.json}", file=sys.stderr)
    return 1 if any(met is False for *_, met in table) else 0


if __name__ == "__main__":
    sys.exit(main())
