"""Helpers behind the Keras ``Model`` guide: the post's models, MNIST, and model plots.

Each function is plain Keras a reader can copy; the pages show their source.
"""

from importlib.metadata import version

from .checks import require_built, require_model, require_names
from .compose import build_decoder, chain, extract_submodel
from .figures import plot_digits, plot_history
from .mnist import Mnist, load_mnist, read_mnist_npz
from .multi_io import build_multi_io, compile_multi_io, fit_by_name, input_names, toy_headlines
from .plots import find_renderer, model_svg
from .reuse import functional_from_layers, independent_copy, shared_layers
from .sequential import build_mlp, compile_like_post

__version__ = version("keras-model-guide")

__all__ = [
    "Mnist",
    "__version__",
    "build_decoder",
    "build_mlp",
    "build_multi_io",
    "chain",
    "compile_like_post",
    "compile_multi_io",
    "extract_submodel",
    "find_renderer",
    "fit_by_name",
    "functional_from_layers",
    "independent_copy",
    "input_names",
    "load_mnist",
    "model_svg",
    "plot_digits",
    "plot_history",
    "read_mnist_npz",
    "require_built",
    "require_model",
    "require_names",
    "shared_layers",
    "toy_headlines",
]
