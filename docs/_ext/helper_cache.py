"""Re-execute the pages when the helpers they run change.

MyST-NB's cache keys a page on its own code cells, and Sphinx re-reads a page only when
its source file changes. The pages also run ``src/keras_model_guide``, so a change to a
helper (a plot's size, a model's layers) would otherwise leave stale outputs on every
page. This extension fingerprints the helpers' source: when it differs from the last
build, it empties the execution cache and marks every page as changed.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)
STAMP = "helpers.sha256"


def helpers_digest(folder: Path) -> str:
    """Return one SHA-256 over every ``.py`` file of the helpers' package."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _digest(app: Sphinx) -> str:
    return helpers_digest(Path(app.confdir).parent / "src" / "keras_model_guide")


def _reset_stale_cache(app: Sphinx, config: object) -> None:
    cache = Path(app.config.nb_execution_cache_path)
    stamp = cache / STAMP
    digest = _digest(app)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") != digest:
        logger.info("helpers changed since the last execution: emptying %s", cache)
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest, encoding="utf-8")


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    digest = _digest(app)
    if getattr(env, "keras_model_guide_helpers", None) == digest:
        return []
    env.keras_model_guide_helpers = digest  # pickled with the environment
    return sorted(env.found_docs - added - removed)


def setup(app: Sphinx) -> dict[str, object]:
    """Connect the cache reset and the re-read of every page."""
    app.connect("config-inited", _reset_stale_cache, priority=900)
    app.connect("env-get-outdated", _outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
