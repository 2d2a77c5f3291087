"""Checks that turn a user's mistake into a message that says what to do.

Keras reports these cases from deep inside its own code (or not at all), so the
helpers call these first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any


def require_model(obj: Any) -> None:
    """Raise ``ValueError`` unless ``obj`` is a Keras model.

    >>> require_model("my_model")
    Traceback (most recent call last):
    ...
    ValueError: Expected a keras.Model (Sequential or functional), got str. ...
    """
    import keras

    if not isinstance(obj, keras.Model):
        # ValueError, not TypeError: every mistake a reader makes here raises ValueError,
        # so one `except ValueError` in their code catches them all.
        raise ValueError(  # noqa: TRY004
            f"Expected a keras.Model (Sequential or functional), got {type(obj).__name__}. "
            "Pass the model object itself, for example build_mlp(), not its name or its layers."
        )


def require_built(model: Any) -> None:
    """Raise ``ValueError`` unless ``model`` is a Keras model that knows its input shape.

    A ``Sequential`` model created without ``keras.Input`` has no layers' shapes
    (and no weights) until it is built.

    >>> import keras
    >>> require_built(keras.Sequential([keras.layers.Dense(4)]))
    Traceback (most recent call last):
    ...
    ValueError: The model 'sequential...' is not built yet: ...
    """
    require_model(model)
    if not model.built or not _has_inputs(model):
        raise ValueError(
            f"The model {model.name!r} is not built yet: Keras does not know its input shape, "
            "so it has no weights or layer shapes. Start it with keras.Input(shape=...), "
            "or call model.build((None, ...)) or call it once on a batch of data."
        )


def _has_inputs(model: Any) -> bool:
    try:
        return bool(model.inputs)
    except (AttributeError, ValueError):  # Sequential without an Input raises on access
        return False


def require_names(kind: str, given: Iterable[str], expected: Iterable[str]) -> None:
    """Raise ``ValueError`` when the keys of an input or target dict are not the model's names.

    >>> require_names("input", ["main_inptu", "aux_input"], ["main_input", "aux_input"])
    Traceback (most recent call last):
    ...
    ValueError: Unknown input name 'main_inptu' (did you mean 'main_input'?). ...
    """
    given, expected = list(given), list(expected)
    unknown = [name for name in given if name not in expected]
    missing = [name for name in expected if name not in given]
    if not unknown and not missing:
        return
    problems = []
    for name in unknown:
        close = difflib.get_close_matches(name, expected, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"Unknown {kind} name {name!r}{hint}.")
    if missing:
        problems.append(f"Missing {kind} name(s): {', '.join(map(repr, missing))}.")
    raise ValueError(
        " ".join(problems)
        + f" The model's {kind} names are {expected}: key the {kind} dict by those names, "
        "which come from the `name=` you gave each Input or output layer."
    )
