"""Every page ran on TensorFlow, JAX and PyTorch in the build, and says so.

The build runs each page on every backend installed beside it (keras_model_guide.sphinxext.backend_runs),
fails on a cell whose facts differ between backends unless the cell is tagged
``compare-backends``, and records what it found in ``docs/_build/backends.json``. These
tests read that record and the built pages: no page is left out, every cell that compares
backends shows all of them, and the "ran on" line is under every title in both languages
and in the downloads. They never execute a page.
"""

from __future__ import annotations

import importlib.util
import json
from importlib import metadata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import ROOT, docs_extension, require

backend_runs = docs_extension("backend_runs")
notebook_files = docs_extension("notebook_files")
PAGES = sorted(
    path.stem
    for path in (ROOT / "docs").glob("*.md")
    if notebook_files.is_notebook(path.read_text("utf-8"))
)
EVERY_BACKEND = list(backend_runs.BACKENDS)


@pytest.fixture(scope="module")
def report(site: Path) -> dict[str, dict]:
    """What the build's runs found, page by page (written beside the language folders)."""
    path = site.parent / backend_runs.REPORT
    assert path.is_file(), f"the build wrote no {path.name}: is backend_runs in conf.py?"
    return json.loads(path.read_text(encoding="utf-8"))


def html(site: Path, language: str, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / language / f"{page}.html").read_text("utf-8"), "html.parser")


def test_the_pages_are_found() -> None:
    assert len(PAGES) >= 13, PAGES  # every test below loops over these


@pytest.mark.parametrize("doc", PAGES)
def test_page_ran_on_every_backend(report: dict[str, dict], doc: str) -> None:
    require(
        all(importlib.util.find_spec(name) for name in EVERY_BACKEND),
        "JAX or PyTorch is not installed, so the build proved TensorFlow only "
        "(`nox -s site` installs the backends group)",
    )
    assert doc in report, f"{doc}.md has no backend runs: it did not execute"
    assert report[doc]["ran"] == EVERY_BACKEND, f"{doc}.md ran on {report[doc]['ran']} only"


def compared_outputs(site: Path, language: str, page: str) -> list[dict[str, str]]:
    """Each compare-backends cell of a built page, as {backend name: its output}."""
    cells = []
    for grid in html(site, language, page).select("div.backend-outputs"):
        columns = grid.select("div.backend-output")
        cells.append(
            {
                column.select_one("p.backend-name").get_text(): column.select_one("pre").get_text()
                for column in columns
            }
        )
    return cells


@pytest.mark.parametrize("doc", PAGES)
def test_compared_cells_show_every_backend_that_ran(
    site: Path, report: dict[str, dict], doc: str
) -> None:
    expected = [backend_runs.BACKENDS[name] for name in report[doc]["ran"]]
    shown = compared_outputs(site, "en", doc)
    assert len(shown) == len(report[doc]["compared"]), f"{doc}.html misses compared cells"
    for cell in shown:
        assert list(cell) == expected, f"{doc}.html shows {list(cell)}, not {expected}"


def ran_everywhere(report: dict[str, dict], page: str) -> None:
    require(
        report[page]["ran"] == EVERY_BACKEND, "this build did not run every backend (see above)"
    )


def test_transfer_shows_that_backends_disagree_without_compile(
    site: Path, report: dict[str, dict]
) -> None:
    ran_everywhere(report, "transfer")
    cell, same_optimizer = compared_outputs(site, "en", "transfer")
    # The page says so: "The backends do not agree", and each output is what that backend did.
    assert len(set(cell.values())) == len(cell), cell
    assert "moved: True" in cell["TensorFlow"]  # the frozen layers trained anyway
    assert "ValueError" in cell["JAX"], cell  # caught and printed: the download goes on
    # Recompiling with the optimizer that already trained fails on every backend.
    for name, text in same_optimizer.items():
        assert "same optimizer: ValueError" in text, (name, text)


def test_multi_io_shows_each_backends_message_for_misspelled_keys(
    site: Path, report: dict[str, dict]
) -> None:
    ran_everywhere(report, "multi-io")
    misspelled_input, misspelled_target = compared_outputs(site, "en", "multi-io")
    for cell in (misspelled_input, misspelled_target):
        assert all("Error" in text for text in cell.values()), cell  # every backend refuses


def test_backends_page_facts_agree_on_every_backend(site: Path) -> None:
    # The one cell of facts the build compares (not tagged compare-backends).
    text = html(site, "en", "backends").get_text()
    for line in ["parameters: 472042", "layers shared: 4", "model1 changed: True"]:
        assert line in text, f"backends.html does not print {line!r}"


def test_backends_page_shows_each_backend_by_name(site: Path, report: dict[str, dict]) -> None:
    first = compared_outputs(site, "en", "backends")[0]
    for name, text in first.items():
        key = next(key for key, value in backend_runs.BACKENDS.items() if value == name)
        assert text.strip() == f"backend: {key}", f"the {name} column says {text!r}"


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("doc", PAGES)
def test_ran_on_line_is_under_every_title(
    site: Path, report: dict[str, dict], language: str, doc: str
) -> None:
    soup = html(site, language, doc)
    line = soup.select_one("article p.ran-on")
    assert line is not None, f"{language}/{doc}.html has no ran-on line"
    text = line.get_text(" ", strip=True)
    assert f"Keras {metadata.version('keras')}" in text
    for name in report[doc]["ran"]:
        assert f"{backend_runs.BACKENDS[name]} {metadata.version(name)}" in text, text
    assert report[doc]["date"] in text
    lead = "실행 환경" if language == "ko" else "Ran on"
    assert text.startswith(lead), text
    # Each section it names as holding numbers that differ is on the page.
    for anchor in report[doc]["numbers_differ"]:
        section = soup.find(id=anchor)
        assert section is not None, f"{doc}: no section #{anchor}"
        # Linked by its title as the heading sets it: code in the title stays code.
        heading = section.find(["h2", "h3", "h4"])
        link = line.find("a", href=f"#{anchor}")
        assert len(link.find_all("code")) == len(heading.find_all("code")), link


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("doc", PAGES)
def test_downloads_carry_the_ran_on_line(
    site: Path, report: dict[str, dict], language: str, doc: str
) -> None:
    name = doc.replace("-", "_")
    notebook = json.loads((site / language / f"{doc}.ipynb").read_text("utf-8"))
    prose = "".join("".join(cell["source"]) for cell in notebook["cells"][:2])
    script = (site / language / f"{name}.py").read_text("utf-8").split('"""')[1]
    for text in (prose, " ".join(script.split())):
        assert f"Keras {metadata.version('keras')}" in text, f"{language}/{doc}: {text[:300]}"
        assert report[doc]["date"] in text
        assert f"KERAS_BACKEND=jax python {name}.py" in text


def test_gan_page_shows_the_keras2_recipe_failing_on_every_backend(
    site: Path, report: dict[str, dict]
) -> None:
    ran_everywhere(report, "gan")
    _losses, recipe, again, _weights = compared_outputs(site, "en", "gan")
    for name, text in recipe.items():
        # As the page says: the discriminator does not learn in its own step, and the
        # generator learns in the combined one, whatever the backend warns.
        assert "D's step:      D changed: False" in text, (name, text)
        assert "combined step: D changed: False" in text, (name, text)
        assert "G changed: True" in text.split("combined step:")[1], (name, text)
    # Unfreezing afterwards does not repair it: no backend trains the discriminator.
    for name, text in again.items():
        assert "D changed: False" in text or "ValueError" in text, (name, text)


def test_gan_page_trains_its_model_subclass_with_fit_on_every_backend(
    site: Path, report: dict[str, dict]
) -> None:
    """The train_step tabs ran each on its own backend, and fit() trained both networks
    on all three: the shared cell's facts agree, or the build would have warned."""
    ran_everywhere(report, "gan")
    assert sorted(backend for backend, _ in report["gan"]["tabs"].values()) == sorted(EVERY_BACKEND)
    (losses,) = [
        cell for cell in compared_outputs(site, "en", "gan") if "from the logits" in str(cell)
    ]
    for name, text in losses.items():  # from logits, a worse verdict always costs more
        assert "loss from the logits:        [20. 30.]" in text, (name, text)
    # The JAX tab keeps the two optimizers' variables as the model's: 8 weights elsewhere.
    (weights,) = [cell for cell in compared_outputs(site, "en", "gan") if "weights:" in str(cell)]
    assert (
        weights["TensorFlow"].strip()
        == weights["PyTorch"].strip()
        == "weights: 8 of which trainable: 8"
    )
    assert weights["JAX"] != weights["TensorFlow"], weights


def test_save_load_shows_what_each_backend_exports(site: Path, report: dict[str, dict]) -> None:
    ran_everywhere(report, "save-load")
    (export,) = [
        cell for cell in compared_outputs(site, "en", "save-load") if "serve()" in str(cell)
    ]
    # TensorFlow's SavedModel, read back by TensorFlow alone, computes what the model does.
    assert "serve() gives the model's predictions: True" in export["TensorFlow"], export
    for name, text in export.items():
        assert "serve() gives" in text or "export failed:" in text, (name, text)
    # PyTorch's own format works where its SavedModel export fails (a Keras bug).
    (torch_format,) = [
        cell for cell in compared_outputs(site, "en", "save-load") if "torch.export" in str(cell)
    ]
    assert "gives the model's predictions: True" in torch_format["PyTorch"], torch_format


def tab_groups(site: Path, language: str, page: str) -> list[dict[str, tuple[str, str]]]:
    """Each group of backend tabs on a built page: {backend: (code shown, output shown)}."""
    found = []
    for box in html(site, language, page).select("div.backend-tabs"):
        group = {}
        for radio in box.select("input.backend-tab"):
            cell = radio.find_next_sibling("label").find_next_sibling("div")
            output = cell.select_one("div.cell_output pre")
            group[radio["data-backend"]] = (
                cell.select_one("div.cell_input pre").get_text(),
                output.get_text() if output else "",
            )
        found.append(group)
    return found


@pytest.mark.parametrize("language", ["en", "ko"])
def test_each_tab_shows_its_own_backends_output(
    site: Path, report: dict[str, dict], language: str
) -> None:
    """customize-fit's tabs: each output is what that backend printed in its own run."""
    ran_everywhere(report, "customize-fit")
    groups = tab_groups(site, language, "customize-fit")
    assert len(groups) == 2, groups
    assert all(list(group) == EVERY_BACKEND for group in groups), groups
    tabs = sorted(report["customize-fit"]["tabs"].items(), key=lambda item: int(item[0]))
    # What each backend's tabs printed in its own run, in page order: the first is group 1's.
    printed = {
        name: [text for _, (backend, text) in tabs if backend == name] for name in EVERY_BACKEND
    }
    gradients = groups[0]
    # Each backend's own gradient type: no other backend's run could have printed it.
    types = {"tensorflow": "EagerTensor", "jax": "ArrayImpl", "torch": "Tensor"}
    for backend, (code, output) in gradients.items():
        assert output.strip() == f"gradients: 4 {types[backend]}", (backend, output)
        assert backend == "tensorflow" or output.strip() == printed[backend][0].strip()
        # The tab shows its code without the guard the downloads run it under.
        assert "keras.backend.backend()" not in code, code
    assert "GradientTape" in gradients["tensorflow"][0]
    assert "jax.grad" in gradients["jax"][0]
    assert "backward()" in gradients["torch"][0]


def test_downloads_run_each_tab_on_its_own_backend_only(site: Path) -> None:
    notebook = json.loads((site / "en" / "customize-fit.ipynb").read_text("utf-8"))
    guards = [
        "".join(cell["source"]).splitlines()[0]
        for cell in notebook["cells"]
        if "backend-tensorflow" in cell["metadata"].get("tags", [])
        or "backend-jax" in cell["metadata"].get("tags", [])
        or "backend-torch" in cell["metadata"].get("tags", [])
    ]
    assert guards == [
        f'if keras.backend.backend() == "{backend}":' for backend in EVERY_BACKEND * 2
    ], guards
