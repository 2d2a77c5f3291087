"""Train the post's Sequential model on MNIST, evaluate it, and plot its training curve.

What it shows: ``load_mnist`` (784 pixels in [0, 1], one-hot labels), ``build_mlp``
(784-512-128-32-10, 472,042 parameters), ``compile_like_post`` (Adam, learning rate 0.001),
``fit`` for 5 epochs with batch 500, ``evaluate``, and ``plot_history`` beside the post's log.

Page (English): https://keras-model-guide.readthedocs.io/en/sequential.html
Page (Korean):  https://keras-model-guide.readthedocs.io/ko/sequential.html

Run:  python sequential_mnist.py [--quick] [--epochs N] [--out FOLDER]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Train the post's 784-512-128-32-10 Sequential model on MNIST (5 epochs, batch "
            "500), print its parameter count and accuracy, and save its training curve as "
            "a PNG. Takes about 20 s on a 2-core CPU; --quick takes about 12 s."
        )
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="train 1 epoch on the first 10,000 images instead (a smoke test, not the post's run)",
    )
    parser.add_argument("--epochs", type=int, default=5, help="training epochs (default: 5)")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FOLDER",
        help="folder for training_curve.png (default: a new temporary folder)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be 1 or more")
    args.out = output_folder(parser, args.out)
    return args


def output_folder(parser: argparse.ArgumentParser, out: Path | None) -> Path:
    """Return ``out`` (created if needed), or a new temporary folder; a bad path is a usage error."""
    if out is None:
        return Path(tempfile.mkdtemp(prefix="keras-model-guide-"))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        parser.error(f"cannot use --out {out}: {error.strerror or error}")
    return out


def main(argv: list[str] | None = None) -> int | str:
    args = parse_args(argv)
    # TensorFlow takes seconds to import: import it after argparse, so --help answers at once.
    import keras  # noqa: PLC0415

    from keras_model_guide import (  # noqa: PLC0415
        build_mlp,
        compile_like_post,
        load_mnist,
        plot_history,
    )
    from keras_model_guide.post import POST_HISTORY  # noqa: PLC0415

    keras.utils.set_random_seed(args.seed)  # The same seed gives the same numbers on every run.
    try:
        mnist = load_mnist()
    except (OSError, RuntimeError, ValueError) as error:
        return f"error: could not load MNIST: {error}"
    x_train, y_train = mnist.x_train, mnist.y_train
    x_test, y_test = mnist.x_test, mnist.y_test
    epochs = args.epochs
    if args.quick:
        x_train, y_train, epochs = x_train[:10_000], y_train[:10_000], 1
    print(f"MNIST from {mnist.source}: train {x_train.shape}, test {x_test.shape}")

    seq_model = compile_like_post(build_mlp())
    print(f"parameters: {seq_model.count_params():,}")  # 472,042

    history = seq_model.fit(x_train, y_train, epochs=epochs, batch_size=500, verbose=0)
    for epoch, (loss, accuracy) in enumerate(
        zip(history.history["loss"], history.history["categorical_accuracy"], strict=True),
        start=1,
    ):
        print(f"epoch {epoch}: loss {loss:.4f}, categorical_accuracy {accuracy:.4f}")

    train_loss, train_accuracy = seq_model.evaluate(x_train, y_train, batch_size=128, verbose=0)
    test_loss, test_accuracy = seq_model.evaluate(x_test, y_test, batch_size=128, verbose=0)
    print(f"train: loss {train_loss:.4f}, accuracy {train_accuracy:.4f}")
    print(f"test:  loss {test_loss:.4f}, accuracy {test_accuracy:.4f}")

    # The post's log has 5 epochs; draw it beside this run only when the epochs match.
    same_length = epochs == len(POST_HISTORY["loss"])
    figure = plot_history(history, compare=POST_HISTORY if same_length else None)
    curve = args.out / "training_curve.png"
    figure.savefig(curve)
    print(f"wrote {curve}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
