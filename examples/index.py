"""The Keras `Model` class, run and explained

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/index.html
(한국어: https://keras-model-guide.readthedocs.io/ko/index.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python index.py`.

Generated from docs/index.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python index.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "The Keras `Model` class, run and explained: the code of the Keras Model guide's page, run as a script."
    ),
)
parser.add_argument(
    "--quick",
    action="store_true",
    help="accepted for a uniform interface; this page's code is already quick",
)
parser.add_argument(
    "--out",
    type=Path,
    metavar="FOLDER",
    help="folder for the files this script writes (default: a new temporary folder)",
)
args = parser.parse_args()
out = args.out or Path(tempfile.mkdtemp(prefix="keras-model-guide-"))
try:  # Find out now, not after the training, whether the files can be written there.
    out.mkdir(parents=True, exist_ok=True)
    tempfile.TemporaryFile(dir=out).close()
except OSError as error:
    parser.error(f"cannot write to --out {out}: {error.strerror or error}")
os.chdir(out)


# Run it yourself
import sys

import keras

print(
    f"Python {sys.version.split()[0]}, Keras {keras.__version__}, backend {keras.backend.backend()}"
)


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
