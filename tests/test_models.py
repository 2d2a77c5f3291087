"""The post's models: parameter counts, its training run, shared layers, sub-models and combining."""

from __future__ import annotations

from types import SimpleNamespace

import keras
import numpy as np
import pytest

from keras_model_guide import (
    build_decoder,
    build_mlp,
    build_multi_io,
    chain,
    compile_like_post,
    compile_multi_io,
    extract_submodel,
    fit_by_name,
    functional_from_layers,
    independent_copy,
    input_names,
    load_mnist,
    shared_layers,
    toy_headlines,
)

SEED = 2018


@pytest.fixture(scope="module")
def mlp():
    """An untrained MLP for tests that only read it."""
    return build_mlp()


@pytest.fixture(scope="module")
def multi_io():
    return compile_multi_io(build_multi_io())


@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


@pytest.fixture(scope="module")
def trained(mnist) -> SimpleNamespace:
    """The post's run, once per module: 5 epochs, batch 500, Adam 1e-3."""
    keras.utils.set_random_seed(SEED)
    model = compile_like_post(build_mlp())
    history = model.fit(mnist.x_train, mnist.y_train, epochs=5, batch_size=500, verbose=0)
    test_loss, test_accuracy = model.evaluate(mnist.x_test, mnist.y_test, verbose=0)
    return SimpleNamespace(
        model=model, history=history.history, test_loss=test_loss, test_accuracy=test_accuracy
    )


def count_params_by_layer(model: keras.Model) -> list[tuple[str, int]]:
    return [
        (type(layer).__name__, layer.count_params())
        for layer in model.layers
        if layer.count_params()
    ]


def weights_of(model: keras.Model) -> list[np.ndarray]:
    return [np.array(weight) for weight in model.get_weights()]


# Parameter counts


def test_mlp_parameters_per_layer_match_the_post(mlp):
    assert count_params_by_layer(mlp) == [
        ("Dense", 401_920),
        ("Dense", 65_664),
        ("Dense", 4_128),
        ("Dense", 330),
    ]
    assert mlp.count_params() == 472_042


def test_multi_io_parameters_per_layer_match_the_post(multi_io):
    assert count_params_by_layer(multi_io) == [
        ("Embedding", 5_120_000),
        ("LSTM", 69_760),
        ("Dense", 2_432),
        ("Dense", 4_160),
        ("Dense", 4_160),
        ("Dense", 65),  # main_output
        ("Dense", 33),  # aux_output
    ]
    assert multi_io.count_params() == 5_200_610


def test_multi_io_named_inputs_and_outputs(multi_io):
    assert input_names(multi_io) == ["main_input", "aux_input"]
    assert multi_io.output_names == ["main_output", "aux_output"]
    assert multi_io.get_layer("main_output").count_params() == 65
    assert multi_io.get_layer("aux_output").count_params() == 33


# The post's training run


@pytest.mark.slow
def test_post_run_reaches_the_post_accuracy(trained):
    assert len(trained.history["categorical_accuracy"]) == 5
    assert trained.history["categorical_accuracy"][-1] > trained.history["categorical_accuracy"][0]
    assert trained.test_accuracy >= 0.97
    assert trained.test_loss < 0.15


# Reusing the trained layers in a functional model


@pytest.mark.slow
def test_functional_model_from_trained_layers_evaluates_identically(trained, mnist):
    model1 = compile_like_post(functional_from_layers(trained.model))
    np.testing.assert_array_equal(
        model1.evaluate(mnist.x_test, mnist.y_test, verbose=0),
        trained.model.evaluate(mnist.x_test, mnist.y_test, verbose=0),
    )


@pytest.mark.slow
def test_new_compile_does_not_separate_the_layers(trained, mnist):
    # The post claims compiling the new model gives it its own layers; it does not.
    model1 = compile_like_post(functional_from_layers(trained.model))
    copy = independent_copy(trained.model)
    before = weights_of(model1)

    trained.model.fit(mnist.x_train, mnist.y_train, epochs=1, batch_size=500, verbose=0)

    after = weights_of(model1)
    assert not any(np.array_equal(old, new) for old, new in zip(before, after, strict=True))
    for functional, sequential in zip(after, weights_of(trained.model), strict=True):
        np.testing.assert_array_equal(functional, sequential)
    for copied, old in zip(weights_of(copy), before, strict=True):
        np.testing.assert_array_equal(copied, old)
    assert len(shared_layers(trained.model, model1)) == 4
    assert shared_layers(trained.model, copy) == []


def test_shared_layers_names_the_same_layer_objects(mlp):
    model1 = functional_from_layers(mlp)
    assert shared_layers(mlp, model1) == [layer.name for layer in mlp.layers]
    assert all(model1.layers[i + 1] is layer for i, layer in enumerate(mlp.layers))


def test_shared_layers_of_an_independent_copy_is_empty(mlp):
    copy = independent_copy(mlp)
    assert shared_layers(mlp, copy) == []
    for copied, original in zip(copy.get_weights(), mlp.get_weights(), strict=True):
        np.testing.assert_array_equal(copied, original)


def test_shared_layers_of_a_submodel_is_its_part(mlp):
    features = extract_submodel(mlp, mlp.layers[1].name)
    assert shared_layers(mlp, features) == [layer.name for layer in mlp.layers[:2]]
    assert shared_layers(mlp, build_decoder()) == []


# Multi-input / multi-output: fit and predict keyed by name


def test_fit_by_name_trains_both_outputs(multi_io):
    inputs, targets = toy_headlines(32)
    history = fit_by_name(multi_io, inputs, targets, epochs=1, batch_size=16, verbose=0)
    assert {"loss", "main_output_loss", "aux_output_loss"} <= set(history.history)
    assert all(np.isfinite(values[0]) for values in history.history.values())


def test_predict_by_name_returns_both_outputs(multi_io):
    inputs, _ = toy_headlines(6, seed=1)
    main, aux = multi_io.predict(inputs, verbose=0)
    assert main.shape == (6, 1)
    assert aux.shape == (6, 1)
    assert ((main >= 0) & (main <= 1)).all()
    assert ((aux >= 0) & (aux <= 1)).all()


def test_predict_by_name_ignores_dict_order(multi_io):
    inputs, _ = toy_headlines(6, seed=1)
    swapped = {"aux_input": inputs["aux_input"], "main_input": inputs["main_input"]}
    for ordered, reversed_ in zip(
        multi_io.predict(inputs, verbose=0), multi_io.predict(swapped, verbose=0), strict=True
    ):
        np.testing.assert_allclose(ordered, reversed_, rtol=1e-6)


def test_toy_headlines_fit_the_model_inputs(multi_io):
    inputs, targets = toy_headlines(5)
    assert {name: array.shape for name, array in inputs.items()} == {
        "main_input": (5, 100),
        "aux_input": (5, 5),
    }
    assert inputs["main_input"].min() >= 1
    assert inputs["main_input"].max() < 10_000
    assert {name: array.shape for name, array in targets.items()} == {
        "main_output": (5, 1),
        "aux_output": (5, 1),
    }


# Taking part of a model, and combining models


def test_extract_submodel_ends_at_the_named_layer(mlp):
    features = extract_submodel(mlp, mlp.layers[2].name, name="features")
    assert features.name == "features"
    assert features.input_shape == (None, 784)
    assert features.output_shape == (None, 32)
    assert features.predict(np.zeros((3, 784), dtype="float32"), verbose=0).shape == (3, 32)


def test_extract_submodel_shares_the_weights(mlp):
    features = extract_submodel(mlp, mlp.layers[2].name)
    submodel_variables = {id(variable) for variable in features.weights}
    assert submodel_variables == {id(variable) for variable in mlp.weights[:6]}
    # The same numbers as running the first three Dense layers of the whole model.
    x = np.random.default_rng(0).random((4, 784), dtype="float32")
    expected = x
    for layer in mlp.layers[:3]:
        expected = layer(expected)
    np.testing.assert_allclose(features.predict(x, verbose=0), np.asarray(expected), rtol=1e-5)


def test_chain_nests_encoder_and_decoder(mlp):
    encoder = extract_submodel(mlp, mlp.layers[2].name, name="encoder")
    decoder = build_decoder()
    autoencoder = chain(encoder, decoder, name="autoencoder")
    assert autoencoder.name == "autoencoder"
    assert [layer.name for layer in autoencoder.layers[1:]] == ["encoder", "decoder"]
    assert autoencoder.layers[1] is encoder
    assert autoencoder.layers[2] is decoder
    assert autoencoder.input_shape == (None, 784)
    assert autoencoder.output_shape == (None, 784)
    assert autoencoder.count_params() == encoder.count_params() + decoder.count_params()
    assert autoencoder.predict(np.zeros((2, 784), dtype="float32"), verbose=0).shape == (2, 784)


def test_chain_of_one_model_wraps_it(mlp):
    wrapped = chain(mlp)
    assert [layer.name for layer in wrapped.layers[1:]] == [mlp.name]
    assert wrapped.output_shape == (None, 10)
