"""The code behind the Keras ``Model`` guide, in three folders.

``lessons/``
    Plain Keras 3, the code the pages teach. A page inlines these functions into its
    executed notebook, so what a reader sees, copies and downloads is this code itself.
``support/``
    Code the pages run but do not teach (figures, the post's own numbers). It is inlined
    too, in folded cells, so every notebook and script stays self-contained.
``offline/``
    Build-side stand-ins for what a build machine may lack: MNIST's download host and
    Graphviz's ``dot``. The build and the tests put it on ``PYTHONPATH`` and ``PATH``;
    no page imports it.

>>> sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name[0] != "_")
['lessons', 'offline', 'support']
"""

from importlib.metadata import version
from pathlib import Path

__version__ = version("keras-model-guide")
PACKAGE = Path(__file__).resolve().parent

__all__ = ["PACKAGE", "__version__"]
