"""Give ``sphinx.ext.viewcode`` the helpers' source without importing them.

To find a module's file, viewcode imports the module, on every build, even one with
nothing to rebuild. Importing ``keras_model_guide`` imports TensorFlow, the larger part
of a no-op build's time (and of a one-catalog-entry Korean rebuild). This handler reads
the source file instead; viewcode then regenerates the small ``_modules`` pages each
build, which costs far less than the import.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.pycode import ModuleAnalyzer

PACKAGES = {"keras_model_guide"}  # the packages the API page documents


def _find_source(app: Sphinx, modname: str) -> tuple[str, dict] | None:
    package, _, submodule = modname.partition(".")
    if package not in PACKAGES:
        return None  # viewcode's own lookup
    spec = find_spec(package)  # a top-level package is found without running it
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin)
    if submodule:
        path = path.parent.joinpath(*submodule.split(".")).with_suffix(".py")
    if not path.is_file():
        return None
    analyzer = ModuleAnalyzer.for_file(path, modname)
    analyzer.find_tags()
    return analyzer.code, analyzer.tags


def setup(app: Sphinx) -> dict[str, object]:
    """Answer viewcode's source lookups for the project's own package."""
    app.setup_extension("sphinx.ext.viewcode")
    app.connect("viewcode-find-source", _find_source)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
