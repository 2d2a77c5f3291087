"""Draw the post's models as SVG graphs with ``keras.utils.model_to_dot`` and Graphviz.

What it shows: ``find_renderer`` (the system ``dot``, else the ``graphviz-pure`` package)
and ``model_svg`` with the options that matter: layer names and shapes (the default),
``rankdir="LR"`` for the wide multi-input model, and ``show_layer_activations=True``.
Nothing is trained.

Page (English): https://keras-model-guide.readthedocs.io/en/plots.html
Page (Korean):  https://keras-model-guide.readthedocs.io/ko/plots.html

Run:  python model_plots.py [--quick] [--out FOLDER]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Save SVG graphs of the post's Sequential model and its two-input, two-output "
            "model, drawn with keras.utils.model_to_dot and Graphviz (the system dot, else "
            "graphviz-pure). Trains nothing; takes about 7 s on a 2-core CPU."
        )
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="draw each model once, with the default options (two SVGs, not four)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FOLDER",
        help="folder for the .svg files (default: a new temporary folder)",
    )
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
        build_mlp,
        build_multi_io,
        find_renderer,
        model_svg,
    )

    keras.utils.set_random_seed(0)
    try:
        print("renderer:", find_renderer())
    except RuntimeError as error:  # No Graphviz at all: the message says what to install.
        return f"error: {error}"

    seq_model = build_mlp()
    multi_io = build_multi_io()
    print(f"{seq_model.name}: {seq_model.count_params():,} parameters")  # 472,042
    print(f"{multi_io.name}: {multi_io.count_params():,} parameters")  # 5,200,610

    # (file name, model, options): the drawings the page shows.
    drawings = [("seq_model.svg", seq_model, {}), ("multi_io.svg", multi_io, {})]
    if not args.quick:
        drawings += [
            ("multi_io_lr.svg", multi_io, {"rankdir": "LR", "show_shapes": False}),
            ("seq_model_activations.svg", seq_model, {"show_layer_activations": True}),
        ]
    for file_name, model, options in drawings:
        path = args.out / file_name
        svg = model_svg(model, path, **options)
        boxes = svg.count('<g id="node')  # One box per layer.
        print(f"wrote {path}: {model.name}, {boxes} layers, options {options or 'default'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
