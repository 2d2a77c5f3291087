"""A user's mistakes get a message that says what to do, not a Keras traceback."""

from __future__ import annotations

import keras
import pytest

from keras_model_guide import (
    build_mlp,
    build_multi_io,
    chain,
    extract_submodel,
    fit_by_name,
    functional_from_layers,
    independent_copy,
    input_names,
    model_svg,
    toy_headlines,
)

NEEDS_MODEL = [model_svg, functional_from_layers, independent_copy, input_names]


@pytest.fixture(scope="module")
def unbuilt():
    """The post's Sequential style without an input shape: Keras cannot build it yet."""
    return keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)])


@pytest.fixture(scope="module")
def mlp():
    return build_mlp()


@pytest.fixture(scope="module")
def multi_io():
    # A small vocabulary keeps the Embedding tiny; names and shapes are what matter here.
    return build_multi_io(vocab_size=50)


@pytest.fixture(scope="module")
def headlines():
    return toy_headlines(4, vocab_size=50)


@pytest.mark.parametrize("helper", [*NEEDS_MODEL, chain], ids=lambda helper: helper.__name__)
def test_unbuilt_model_asks_for_keras_input(unbuilt, helper):
    with pytest.raises(ValueError, match=r"is not built yet.*keras\.Input\(shape=\.\.\.\)"):
        helper(unbuilt)


def test_extract_submodel_of_unbuilt_model_asks_for_keras_input(unbuilt):
    with pytest.raises(ValueError, match=r"keras\.Input"):
        extract_submodel(unbuilt, unbuilt.layers[0].name)


def test_chain_names_the_unbuilt_model_among_built_ones(mlp, unbuilt):
    with pytest.raises(ValueError, match=rf"{unbuilt.name!r} is not built yet"):
        chain(mlp, unbuilt)


@pytest.mark.parametrize("helper", [*NEEDS_MODEL, chain], ids=lambda helper: helper.__name__)
@pytest.mark.parametrize("not_a_model", ["seq_model", None], ids=["name", "none"])
def test_not_a_model_is_rejected(helper, not_a_model):
    with pytest.raises(ValueError, match=r"Expected a keras\.Model .*got (str|NoneType)"):
        helper(not_a_model)


def test_layers_instead_of_a_model_are_rejected(mlp):
    with pytest.raises(ValueError, match=r"Expected a keras\.Model .*got list"):
        functional_from_layers(mlp.layers)


def test_extract_submodel_of_not_a_model_is_rejected():
    with pytest.raises(ValueError, match=r"Expected a keras\.Model"):
        extract_submodel("seq_model", "dense")


def test_misspelled_input_name_suggests_the_real_one(multi_io, headlines):
    inputs, targets = headlines
    misspelled = {"main_inptu": inputs["main_input"], "aux_input": inputs["aux_input"]}
    with pytest.raises(ValueError, match="did you mean 'main_input'") as caught:
        fit_by_name(multi_io, misspelled, targets, epochs=1, verbose=0)
    assert "Unknown input name 'main_inptu'" in str(caught.value)
    assert "['main_input', 'aux_input']" in str(caught.value)


def test_misspelled_target_name_suggests_the_real_one(multi_io, headlines):
    inputs, targets = headlines
    misspelled = {"main_output": targets["main_output"], "aux_ouptut": targets["aux_output"]}
    with pytest.raises(ValueError, match="did you mean 'aux_output'") as caught:
        fit_by_name(multi_io, inputs, misspelled, epochs=1, verbose=0)
    assert "Unknown target name 'aux_ouptut'" in str(caught.value)
    assert "['main_output', 'aux_output']" in str(caught.value)


def test_missing_input_is_named(multi_io, headlines):
    inputs, targets = headlines
    with pytest.raises(ValueError, match=r"Missing input name\(s\): 'aux_input'"):
        fit_by_name(multi_io, {"main_input": inputs["main_input"]}, targets, verbose=0)


def test_unknown_layer_lists_the_model_layers(mlp):
    with pytest.raises(ValueError, match="has no layer named 'no_such_layer'") as caught:
        extract_submodel(mlp, "no_such_layer")
    for layer in mlp.layers:
        assert repr(layer.name) in str(caught.value)


def test_chain_without_models_gives_an_example():
    with pytest.raises(ValueError, match=r"at least one model.*chain\(encoder, decoder\)"):
        chain()
