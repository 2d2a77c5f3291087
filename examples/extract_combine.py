"""Cut an encoder out of the trained MNIST classifier and combine it with a decoder.

What it shows: ``extract_submodel`` (a ``Model`` from the classifier's input to its third
``Dense`` layer: 32 numbers per image, sharing the trained layers), ``build_decoder`` and
``chain`` (whole models called like layers, giving an autoencoder), training only the
decoder with the encoder frozen, the nested graph drawn with ``expand_nested=True``, and
the reconstructed digits.

Page (English): https://keras-model-guide.readthedocs.io/en/extract-combine.html
Page (Korean):  https://keras-model-guide.readthedocs.io/ko/extract-combine.html

Run:  python extract_combine.py [--quick] [--out FOLDER]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Train the post's MNIST classifier (5 epochs), extract its first three layers as "
            "an encoder, chain it with a new decoder into an autoencoder, train the decoder "
            "(3 epochs), and save the autoencoder's graph (SVG) and reconstructed digits "
            "(PNG). Takes about 25 s on a 2-core CPU; --quick takes about 15 s."
        )
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="train each model 1 epoch on the first 10,000 images instead (a smoke test)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FOLDER",
        help="folder for autoencoder.svg and reconstructions.png (default: a new temporary folder)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
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
        build_decoder,
        build_mlp,
        chain,
        compile_like_post,
        extract_submodel,
        load_mnist,
        model_svg,
        plot_digits,
    )

    keras.utils.set_random_seed(args.seed)
    try:
        mnist = load_mnist()
    except (OSError, RuntimeError, ValueError) as error:
        return f"error: could not load MNIST: {error}"
    x_train, y_train = mnist.x_train, mnist.y_train
    classifier_epochs, decoder_epochs = 5, 3
    if args.quick:
        x_train, y_train = x_train[:10_000], y_train[:10_000]
        classifier_epochs, decoder_epochs = 1, 1

    seq_model = compile_like_post(build_mlp())
    seq_model.fit(x_train, y_train, epochs=classifier_epochs, batch_size=500, verbose=0)
    print("classifier layers:", [layer.name for layer in seq_model.layers])

    # Take part of a model: from the classifier's input to its third Dense layer.
    encoder = extract_submodel(seq_model, seq_model.layers[2].name, name="encoder")
    codes = encoder.predict(mnist.x_test[:5], verbose=0)
    print("encoder output shape:", encoder.output_shape, "codes:", codes.shape)  # (None, 32)

    # Combine models: the frozen encoder, then a new decoder that learns alone.
    encoder.trainable = False
    autoencoder = chain(encoder, build_decoder(), name="autoencoder")
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    print(f"autoencoder parameters: {autoencoder.count_params():,}")
    history = autoencoder.fit(x_train, x_train, epochs=decoder_epochs, batch_size=256, verbose=0)
    print("autoencoder loss per epoch:", [round(loss, 4) for loss in history.history["loss"]])
    accuracy = seq_model.evaluate(mnist.x_test, mnist.y_test, verbose=0)[1]
    print(f"classifier test accuracy: {accuracy:.4f}")  # Unchanged: the encoder was frozen.

    graph = args.out / "autoencoder.svg"
    try:
        model_svg(autoencoder, graph, expand_nested=True)
    except RuntimeError as error:  # No Graphviz renderer: the message says what to install.
        return f"error: {error}"
    print(f"wrote {graph}")

    # Top row: test digits; bottom row: what the autoencoder rebuilt from 32 numbers each.
    originals = mnist.x_test[:8]
    rebuilt = autoencoder.predict(originals, verbose=0)
    figure = plot_digits({"original": originals, "rebuilt": rebuilt})
    digits = args.out / "reconstructions.png"
    figure.savefig(digits)
    print(f"wrote {digits}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
