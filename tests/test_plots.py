"""Model plots (SVG from either Graphviz renderer) and training-curve figures."""

from __future__ import annotations

import shutil
import sysconfig
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from support import require

from keras_model_guide import build_mlp, build_multi_io, find_renderer, model_svg, plot_history
from keras_model_guide import plots as plots_module

SVG = "{http://www.w3.org/2000/svg}"
MLP_SHAPES = ["(None, 784)", "(None, 512)", "(None, 128)", "(None, 32)", "(None, 10)"]
MULTI_IO_SHAPES = [
    "(None, 100)",
    "(None, 100, 512)",
    "(None, 32)",
    "(None, 5)",
    "[(None, 32), (None, 5)]",
    "(None, 37)",
    "(None, 64)",
    "(None, 1)",
]


@pytest.fixture(scope="module")
def mlp():
    return build_mlp()


@pytest.fixture(scope="module")
def multi_io():
    return build_multi_io()


@pytest.fixture(params=["dot", "graphviz-pure"])
def renderer(request, monkeypatch) -> str:
    """Make find_renderer pick the given program, and return that program's name."""
    if request.param == "dot":
        require(shutil.which("dot"), "Graphviz's `dot` is not on PATH (apt-get install graphviz)")
    else:
        real_which = shutil.which

        # Hide the system `dot` so the pip-only path is tested even where Graphviz exists.
        def which_without_dot(name, *args, **kwargs):
            return None if name == "dot" else real_which(name, *args, **kwargs)

        monkeypatch.setattr(plots_module.shutil, "which", which_without_dot)
    assert Path(find_renderer()).name == request.param
    return request.param


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text") if element.text]


def node_titles(root: ET.Element) -> list[str]:
    return [
        group.findtext(f"{SVG}title")
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "node"
    ]


def test_mlp_svg_shows_every_layer_name_and_shape(mlp, renderer):
    labels = texts(parse(model_svg(mlp)))
    for layer in mlp.layers:
        assert layer.name in labels
    for shape in MLP_SHAPES:
        assert shape in labels


def test_multi_io_svg_shows_every_layer_name_and_shape(multi_io, renderer):
    labels = texts(parse(model_svg(multi_io)))
    for name in ["main_input", "aux_input", "main_output", "aux_output"]:
        assert name in labels
    for layer in multi_io.layers:
        assert layer.name in labels
    for shape in MULTI_IO_SHAPES:
        assert shape in labels


def test_svg_has_one_node_per_layer_and_no_stray_dpi_node(mlp, multi_io, renderer):
    # model_to_dot(dpi=None) adds a node titled "dpi"; model_svg must not.
    for model in (mlp, multi_io):
        titles = node_titles(parse(model_svg(model)))
        assert "dpi" not in titles
        assert len(titles) == len(model.layers)


def test_model_svg_writes_the_same_text_to_path(mlp, renderer, tmp_path):
    target = tmp_path / "mlp.svg"
    svg = model_svg(mlp, target)
    assert target.read_text(encoding="utf-8") == svg
    parse(target.read_text(encoding="utf-8"))


def test_rankdir_lr_lays_the_chain_out_sideways(mlp, renderer):
    def size(svg: str) -> tuple[float, float]:
        root = parse(svg)
        return float(root.get("width").removesuffix("pt")), float(
            root.get("height").removesuffix("pt")
        )

    tb_svg, lr_svg = model_svg(mlp, rankdir="TB"), model_svg(mlp, rankdir="LR")
    assert tb_svg != lr_svg
    tb_width, tb_height = size(tb_svg)
    lr_width, lr_height = size(lr_svg)
    assert lr_width > lr_height
    assert lr_width > tb_width
    assert lr_height < tb_height


def test_model_svg_rejects_an_unknown_rankdir(mlp):
    with pytest.raises(ValueError, match="rankdir must be 'TB' or 'LR'"):
        model_svg(mlp, rankdir="BT")


def test_no_renderer_names_both_fixes(mlp, monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(plots_module.sysconfig, "get_path", lambda *_args, **_kw: str(empty))
    assert shutil.which("dot") is None
    assert sysconfig.get_path("scripts") == str(empty)
    with pytest.raises(RuntimeError) as caught:
        model_svg(mlp)
    message = str(caught.value)
    assert "install Graphviz" in message
    assert "`dot`" in message
    assert "pip install graphviz-pure" in message


def test_plot_history_draws_one_axes_per_metric():
    logs = {"loss": [0.5, 0.3, 0.2], "categorical_accuracy": [0.8, 0.9, 0.95]}
    figure = plot_history(SimpleNamespace(history=logs))
    assert [axes.get_title() for axes in figure.axes] == ["loss", "categorical_accuracy"]
    for axes, values in zip(figure.axes, logs.values(), strict=True):
        (line,) = axes.get_lines()
        assert list(line.get_xdata()) == [1, 2, 3]
        assert list(line.get_ydata()) == values


def test_plot_history_draws_the_comparison_run_dashed():
    figure = plot_history(
        {"loss": [0.5, 0.3], "categorical_accuracy": [0.8, 0.9]},
        compare={"loss": [0.46, 0.15]},
    )
    loss_axes, accuracy_axes = figure.axes
    assert [line.get_linestyle() for line in loss_axes.get_lines()] == ["-", "--"]
    assert list(loss_axes.get_lines()[1].get_ydata()) == [0.46, 0.15]
    assert len(accuracy_axes.get_lines()) == 1


@pytest.mark.parametrize("not_history", ["loss", {}, [0.5, 0.3], None, SimpleNamespace(history={})])
def test_plot_history_rejects_what_is_not_a_history(not_history):
    with pytest.raises(ValueError, match=r"needs the History that model\.fit\(\) returns"):
        plot_history(not_history)


def test_plot_digits_draws_one_labelled_row_per_entry() -> None:
    import numpy as np

    from keras_model_guide import plot_digits

    images = np.linspace(0, 1, 8 * 784, dtype="float32").reshape(8, 784)
    figure = plot_digits({"original": images, "rebuilt": images[::-1]})
    assert len(figure.axes) == 16
    assert [figure.axes[0].get_ylabel(), figure.axes[8].get_ylabel()] == ["original", "rebuilt"]
    assert figure.axes[0].images[0].get_array().shape == (28, 28)


def test_plot_digits_rejects_no_rows() -> None:
    from keras_model_guide import plot_digits

    with pytest.raises(ValueError, match="at least one row"):
        plot_digits({})
