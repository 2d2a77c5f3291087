"""The code behind the Keras ``Model`` guide, in five folders.

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
``sphinxext/``
    The Sphinx extensions that build the site (docs/conf.py lists them). Only they import
    Sphinx: the lessons need nothing but Keras.
``tools/``
    The command-line tools the nox sessions run (the example scripts, the catalogs'
    safe update, the live-reload server).

>>> sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name[0] != "_")
['lessons', 'offline', 'sphinxext', 'support', 'tools']
"""

from importlib.metadata import version
from pathlib import Path

__version__ = version("keras-model-guide")
PACKAGE = Path(__file__).resolve().parent

__all__ = ["PACKAGE", "__version__"]
