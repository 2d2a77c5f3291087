"""Build the post's two-input, two-output model, draw it, and fit it with named inputs.

What it shows: ``build_multi_io`` (a headline of 100 word indices and 5 extra numbers in,
``main_output`` and ``aux_output`` out; 5,200,610 parameters), ``model_svg`` of its two
branches, ``compile_multi_io`` (one loss per output, the aux loss weighted 0.2), and
``fit_by_name`` / ``predict`` with inputs and targets keyed by name. The data comes from
``toy_headlines``: it is *generated at random*, so the model learns nothing meaningful.

Page (English): https://keras-model-guide.readthedocs.io/en/multi-io.html
Page (Korean):  https://keras-model-guide.readthedocs.io/ko/multi-io.html

Run:  python multi_io.py [--quick] [--out FOLDER]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Build the post's two-input, two-output headline model (5,200,610 parameters), "
            "save its graph as SVG, and fit it for 2 epochs on 256 randomly generated "
            "examples keyed by input and output name. Takes about 10 s on a 2-core CPU; "
            "--quick takes about 9 s."
        )
    )
    parser.add_argument(
        "--quick", action="store_true", help="fit 1 epoch on 64 generated examples instead"
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FOLDER",
        help="folder for multi_io.svg (default: a new temporary folder)",
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
        build_multi_io,
        compile_multi_io,
        fit_by_name,
        model_svg,
        toy_headlines,
    )

    keras.utils.set_random_seed(args.seed)
    model = build_multi_io()
    print(f"parameters: {model.count_params():,}")  # 5,200,610

    graph = args.out / "multi_io.svg"
    try:
        model_svg(model, graph, rankdir="TB")
    except RuntimeError as error:  # No Graphviz renderer: the message says what to install.
        return f"error: {error}"
    print(f"wrote {graph}")

    compile_multi_io(model)
    print("inputs: ", [tensor.name for tensor in model.inputs])
    print("outputs:", model.output_names)

    # Random numbers in the right shapes: enough to show fit and predict, not to learn.
    count, epochs = (64, 1) if args.quick else (256, 2)
    inputs, targets = toy_headlines(count, seed=args.seed)
    print("input shapes:", {name: array.shape for name, array in inputs.items()})
    history = fit_by_name(model, inputs, targets, epochs=epochs, batch_size=32, verbose=0)
    for name, values in history.history.items():
        print(f"{name}: {[round(value, 4) for value in values]}")

    main_prediction, aux_prediction = model.predict(inputs, verbose=0)
    print("prediction shapes:", main_prediction.shape, aux_prediction.shape)  # (256, 1) twice

    # Keras's own fit() fails deep inside TensorFlow on a misspelled target name;
    # fit_by_name stops before training, with the model's real output names.
    misspelled = {"main_outptu": targets["main_output"], "aux_output": targets["aux_output"]}
    try:
        fit_by_name(model, inputs, misspelled, epochs=1, verbose=0)
    except ValueError as error:
        print("misspelled name:", error)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
