"""Why reach for the `Model` class

The code of the Keras Model guide's page, as a script:
https://keras-model-guide.readthedocs.io/en/why-model.html
(한국어: https://keras-model-guide.readthedocs.io/ko/why-model.html)

Keras picks its backend when it is imported: to run this on another one, set
KERAS_BACKEND first, for example `KERAS_BACKEND=jax python why_model.py`.

Generated from docs/why-model.md and src/keras_model_guide by `nox -s examples`:
edit those, not this file. Run `python why_model.py --help` for its options.
"""

import argparse
import os
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(
    description=(
        "Why reach for the `Model` class: the code of the Keras Model guide's page, run as a script."
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


# A straight line and a graph
import keras
from keras import layers

# A straight line: the list order is the data's path.
line = keras.Sequential(
    [keras.Input(shape=(784,)), layers.Dense(32, activation="relu"), layers.Dense(10)]
)

# A graph: two inputs meet in the middle, something a list cannot say.
image = keras.Input(shape=(784,), name="image")
extra = keras.Input(shape=(5,), name="extra")
joined = layers.concatenate([layers.Dense(32, activation="relu")(image), extra])
graph = keras.Model(inputs=[image, extra], outputs=layers.Dense(10)(joined))

print(len(line.inputs), "input for the Sequential model")
print(len(graph.inputs), "inputs for the functional model")


written = sorted(path.name for path in Path().iterdir())
print(f"Files in {out}: {', '.join(written)}" if written else f"No files written to {out}.")
