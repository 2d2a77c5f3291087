"""Sphinx configuration: one English source, built once per language.

`nox -s docs` runs this twice, with `-D language=en` and `-D language=ko`, into
`_build/html/en` and `_build/html/ko`. Both builds share one execution cache, so the
Korean build re-uses every executed notebook instead of running it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

from sphinx.util import logging

from keras_model_guide import offline

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

# The kernels that execute the pages inherit this process's environment: keep
# TensorFlow's C++ start-up chatter out of the pages' outputs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# Build-side stand-ins (MNIST's download host, Graphviz's dot) for every kernel; the
# pages' code stays plain Keras (see src/keras_model_guide/offline/__init__.py).
os.environ.update(offline.environ())
# Every output is the same on every machine, so the kernels run with the backend this
# project installs, whatever a reader's shell sets for their own work (KERAS_BACKEND=jax
# without jax installed failed every page with "No module named 'jax'"), and with
# Python's default warning filters (PYTHONWARNINGS=error turned TensorFlow's internal
# deprecations into cell errors). The build says when it sets a variable aside.
for _name, _value in {"KERAS_BACKEND": "tensorflow", "PYTHONWARNINGS": None}.items():
    if os.environ.get(_name, _value) != _value:
        logging.getLogger("conf").info(
            "%s=%s from your environment is not passed to the pages' kernels (%s)",
            _name,
            os.environ[_name],
            f"they run with {_value}" if _value else "they use Python's default filters",
        )
    if _value is None:
        os.environ.pop(_name, None)
    else:
        os.environ[_name] = _value
# The kernels start with this IPython profile:
# - TensorFlow's C++ runtime writes start-up notes ("oneDNN ...", "no CUDA drivers")
#   straight to file descriptor 2, before any setting can silence them. They stay out of
#   every page (docs/_ext/console.py sends them to _build/kernels/<lang>.log); Python's own
#   warnings still reach the page (and fail -W).
# - A cell that shows an error on purpose (tagged raises-exception) shows the exception
#   as Keras words it, without the traceback: its frames name the build machine's
#   site-packages folder, so the page differed from one checkout to another, and they
#   buried the message under Keras's internals. (A failing page's report, written by
#   execution_errors, quotes the cell and the exception as well.)
_KERNEL_CONFIG = "c.IPKernelApp.capture_fd_output = False\nc.InteractiveShell.xmode = 'Minimal'\n"
_IPYTHON_DIR = DOCS / "_build" / ".ipython"
(_IPYTHON_DIR / "profile_default").mkdir(parents=True, exist_ok=True)
(_IPYTHON_DIR / "profile_default" / "ipython_kernel_config.py").write_text(
    _KERNEL_CONFIG, encoding="utf-8"
)
os.environ["IPYTHONDIR"] = str(_IPYTHON_DIR)
# Keras reads its settings (floatx, epsilon, image_data_format, backend) from keras.json
# in $KERAS_HOME, by default ~/.keras. A reader's own file ("floatx": "float16") reached
# the kernels and published NaN losses; the kernels read the build's own file instead,
# with Keras's defaults. $KERAS_HOME also holds Keras's downloads: its datasets folder is
# the user's, so MNIST is not fetched again.
KERAS_CONFIG = {
    "floatx": "float32",
    "epsilon": 1e-07,
    "backend": "tensorflow",
    "image_data_format": "channels_last",
}
_KERAS_HOME = DOCS / "_build" / ".keras"
_USER_KERAS = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
_KERAS_HOME.mkdir(parents=True, exist_ok=True)
(_KERAS_HOME / "keras.json").write_text(json.dumps(KERAS_CONFIG, indent=4), encoding="utf-8")
if not (_KERAS_HOME / "datasets").exists():
    with contextlib.suppress(OSError):  # without a user folder, Keras downloads into ours
        (_USER_KERAS / "datasets").mkdir(parents=True, exist_ok=True)
        (_KERAS_HOME / "datasets").symlink_to(_USER_KERAS / "datasets", target_is_directory=True)
with contextlib.suppress(OSError, ValueError):
    _theirs = json.loads((_USER_KERAS / "keras.json").read_text(encoding="utf-8"))
    _differ = {k: v for k, v in _theirs.items() if k in KERAS_CONFIG and v != KERAS_CONFIG[k]}
    if _differ:
        logging.getLogger("conf").info(
            "%s sets %s: the pages' kernels use Keras's defaults instead (%s)",
            _USER_KERAS / "keras.json",
            ", ".join(f"{k}={v!r}" for k, v in _differ.items()),
            _KERAS_HOME / "keras.json",
        )
os.environ["KERAS_HOME"] = str(_KERAS_HOME)

#: The site's name in each language: the sidebar, every <title>, the footer and the root
#: language picker (docs/_root/index.html) all use these, and nothing else.
SITE_NAMES = {"en": "Keras Model guide", "ko": "Keras Model 가이드"}
AUTHORS = {"en": "Keras Model guide contributors", "ko": "Keras Model 가이드 기여자"}
project = SITE_NAMES["en"]
author = AUTHORS["en"]
copyright = f"2026, {author}"
release = version = metadata.version("keras-model-guide")
language = "en"

extensions = [
    "myst_nb",
    "lesson_cells",  # code cells inline lesson code from src/keras_model_guide
    "notebook_files",  # each executed page as .ipynb and .py
    "sphinx_copybutton",
    # docs/_ext: each does what no maintained package does (see each module's docstring).
    "translation_gate",
    "catalog_check",  # a catalog with broken syntax or markup fails and publishes nothing
    "language_switch",  # the same page in the other language's build, and hreflang links
    "output_alt",  # alt text for images drawn by code cells
    "accessible_html",  # aria-level on toctree captions (sphinx-doc/sphinx#14030)
    "language_sitemap",  # <lang>/sitemap.xml with every page (jdillard/sphinx-sitemap#13)
    "execution_errors",  # a failing cell's own error on the console; the build fails
    "console",  # a line per executed page; no TensorFlow/Jupyter start-up chatter (-v: all)
    "backend_runs",  # every page on JAX and PyTorch too; the "ran on" line under each title
    "parallel_build",  # -j: one cache database; Ctrl-C and SIGTERM stop workers and kernels
    "execution_cache",  # a damaged execution cache repairs itself and says how
    # So search results and shared links describe each page:
    "page_description",  # translated <meta name="description">; loads sphinxext.opengraph
    "image_size",  # width/height on every image; loading="lazy" far down a page
    "lean_highlight",  # no <span> for code tokens drawn in plain colour: a smaller DOM
    "pagefind_search",  # search both languages with Pagefind
]
exclude_patterns = ["_build", "_root", "locales", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]
nitpicky = True
nitpick_ignore_regex = [
    # Type hints name third-party classes whose docs this offline build cannot link to.
    ("py:class", r"(keras|np|numpy|matplotlib)\..*"),
    (
        "py:class",
        r"(Any|Figure|Mapping|Sequence|Iterable|os\.PathLike|collections\.abc\..*)(\[.*\])?",
    ),
]

# -- Translation (gettext, sphinx-intl layout) ---------------------------------------
locale_dirs = ["locales/"]
gettext_compact = False  # one catalog per page, so a translator works page by page
gettext_uuid = False
gettext_location = False  # line numbers in catalogs would churn on every English edit
gettext_allow_fuzzy_translations = False  # a fuzzy entry counts as missing (translation_gate)

# -- Executed pages (MyST-NB) --------------------------------------------------------
nb_execution_mode = "cache"
# One cache for both languages: the key is the notebook's code, which translation
# never touches, so the Korean build finds every page already executed. Outputs also
# depend on what the cache key does not see: the installed TensorFlow and Keras, the
# build-side stand-ins (offline/: the dot that draws the plots, the MNIST fallback) and
# the kernels' IPython profile, Keras's settings and Python. One cache folder per
# combination of them, so a change to any of them re-executes every page.
_STAND_INS = [path for path in sorted(offline.HERE.rglob("*")) if "__pycache__" not in path.parts]
_CACHE_KEY = hashlib.sha256(_KERNEL_CONFIG.encode())
_CACHE_KEY.update(json.dumps(KERAS_CONFIG, sort_keys=True).encode())
_CACHE_KEY.update(sys.version.encode())  # the kernels' Python
for _path in [DOCS.parent / "uv.lock", *_STAND_INS]:
    if _path.is_file():
        _CACHE_KEY.update(_path.read_bytes())
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache" / _CACHE_KEY.hexdigest()[:12])
nb_execution_timeout = 600
# A failing cell fails the build, through execution_errors rather than MyST-NB's raise:
# raised inside a `-j` worker, the cell's own message never reached the console.
nb_execution_raise_on_error = False
nb_execution_in_temp = True  # a page that writes a file never litters docs/
nb_execution_show_tb = "CI" in os.environ
nb_output_stderr = "warn"  # any stderr (a warning dump) fails the -W build
nb_merge_streams = True
# The gettext builder has no mime priorities of its own, so MyST-NB drops every output
# there; keeping PNGs lets an `alt` set on a cell (`:mystnb: {image: {alt: ...}}`) reach
# the catalogs, and the Korean build translates it like any other sentence.
nb_mime_priority_overrides = [("gettext", "image/png", 10)]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- HTML ----------------------------------------------------------------------------
html_theme = "furo"
html_title = project  # set per language by _name_the_site below
html_favicon = "_static/favicon.svg"  # else every browser asks for a missing /favicon.ico
html_static_path = ["_static"]
html_css_files = ["guide.css"]
html_js_files = [
    "language.js",
    "scroll-regions.js",  # the keyboard reaches wide boxes
    "copybutton-ko.js",  # Korean words for sphinx-copybutton, which has none
]
html_last_updated_fmt = None
html_copy_source = False  # the .md sources are on GitHub; shipping them doubles the site
html_show_sourcelink = False
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/language.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
# The hosted site's root, holding en/ and ko/. language_switch turns it into each page's
# canonical URL and hreflang alternates; language_sitemap lists <root><lang>/<page>.html.
html_baseurl = "https://keras-model-guide.readthedocs.io/"
# Open Graph and Twitter card tags (sphinxext-opengraph, via page_description). og:url
# gets the language folder from html_baseurl; og:description is the page's own translated
# description. No generated social-card images: matplotlib would draw each page's Korean
# title with a font that may lack Hangul, and a text preview says the same.
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = False  # the {description} directive writes it, in the page's language
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary">']
# Pygments' a11y styles keep every token at 4.5:1 or more; Furo's default dark style
# (native) draws numbers at 2.8:1 on its background.
pygments_style = "a11y-light"
pygments_dark_style = "a11y-dark"
copybutton_selector = "div:not(.output) > div.highlight pre"
copybutton_exclude = ".linenos, .gp, .go"


def _name_the_site(app: Sphinx, config: Config) -> None:
    """Give the site its name in the language being built (`-D language=` comes after this file)."""
    language = config.language if config.language in SITE_NAMES else "en"
    config.project = config.html_title = SITE_NAMES[language]
    config.author = AUTHORS[language]
    config.copyright = f"2026, {config.author}"


def _keep_outputs_out_of_the_site(app: Sphinx) -> None:
    """Write MyST-NB's output files to docs/_build/jupyter_execute, beside the site.

    MyST-NB writes them next to the output folder, and each language's output folder is
    docs/_build/html/<lang>: its executed notebooks and images landed in
    docs/_build/html/jupyter_execute, inside the folder a host publishes, linked from no
    page. The HTML builder copies each image a page shows into <lang>/_images.
    """
    folder = DOCS / "_build" / "jupyter_execute"
    app.env.mystnb_config = app.env.mystnb_config.copy(output_folder=str(folder))


def setup(app: Sphinx) -> None:
    """Hook this configuration's own event handlers into Sphinx."""
    app.connect("config-inited", _name_the_site)
    # After MyST-NB's own builder-inited handler (priority 500), which sets the folder.
    app.connect("builder-inited", _keep_outputs_out_of_the_site, priority=600)
