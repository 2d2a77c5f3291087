"""Reuse a trained Sequential model's layers in a functional model, and see what is shared.

What it shows: ``functional_from_layers`` calls the trained layers on a new ``keras.Input``
(the post's ``model1``); both models evaluate identically; refitting the original still
changes ``model1`` after its own ``compile()`` (the post said it would not), while
``independent_copy`` (``clone_model`` + ``set_weights``) stays as it was.

Page (English): https://keras-model-guide.readthedocs.io/en/functional.html
Page (Korean):  https://keras-model-guide.readthedocs.io/ko/functional.html

Run:  python functional_reuse.py [--quick] [--epochs N]
"""

from __future__ import annotations

import argparse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Train the post's Sequential MNIST model, rebuild it as a functional model from "
            "the same layers, and show that refitting one changes the other while a "
            "clone_model copy stays independent. Takes about 25 s on a 2-core CPU; "
            "--quick takes about 10 s."
        )
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="train 1 epoch on the first 10,000 images instead (a smoke test, not the post's run)",
    )
    parser.add_argument("--epochs", type=int, default=5, help="training epochs (default: 5)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be 1 or more")
    return args


def main(argv: list[str] | None = None) -> int | str:
    args = parse_args(argv)
    # TensorFlow takes seconds to import: import it after argparse, so --help answers at once.
    import keras  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    from keras_model_guide import (  # noqa: PLC0415
        build_mlp,
        compile_like_post,
        functional_from_layers,
        independent_copy,
        load_mnist,
        shared_layers,
    )

    keras.utils.set_random_seed(args.seed)
    try:
        mnist = load_mnist()
    except (OSError, RuntimeError, ValueError) as error:
        return f"error: could not load MNIST: {error}"
    x_train, y_train, x_test, y_test = mnist.x_train, mnist.y_train, mnist.x_test, mnist.y_test
    epochs = args.epochs
    if args.quick:
        x_train, y_train, epochs = x_train[:10_000], y_train[:10_000], 1

    seq_model = compile_like_post(build_mlp())
    seq_model.fit(x_train, y_train, epochs=epochs, batch_size=500, verbose=0)

    # The post's model1: the trained layers, called in order on a new Input.
    model1 = functional_from_layers(seq_model)
    compile_like_post(model1)
    print(f"seq_model parameters: {seq_model.count_params():,}")  # 472,042
    print(f"model1 parameters:    {model1.count_params():,}")  # 472,042
    print("model1 layers:", [layer.name for layer in model1.layers])  # InputLayer first

    seq_scores = seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0)
    model1_scores = model1.evaluate(x_test, y_test, batch_size=128, verbose=0)
    print(f"seq_model test: loss {seq_scores[0]:.4f}, accuracy {seq_scores[1]:.4f}")
    print(f"model1 test:    loss {model1_scores[0]:.4f}, accuracy {model1_scores[1]:.4f}")
    print("identical:", seq_scores == model1_scores)  # True

    # Does a separate compile() give model1 its own layers? Refit the original and look.
    copy = independent_copy(seq_model)
    before = model1.get_weights()[0].copy()  # The first layer's kernel, 784 x 512 values.
    seq_model.fit(x_train, y_train, epochs=1, batch_size=500, verbose=0)
    print("model1 changed:", not np.array_equal(before, model1.get_weights()[0]))  # True
    print("copy changed:  ", not np.array_equal(before, copy.get_weights()[0]))  # False
    print("shared with model1:", shared_layers(seq_model, model1))
    print("shared with copy:  ", shared_layers(seq_model, copy))  # []
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
