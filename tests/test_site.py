"""The built site's content: every tutorial, Korean prose, untouched code, real results.

These tests read the HTML that `nox -s site` wrote; they never execute a page. Each
checks one fact over every page and names every page where it fails. Links, the
sitemaps and the language switch are in test_links.py and tests/browser.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup
from support import ROOT, SITE, docs_extension, english_prose

LANGUAGES = ("en", "ko")
#: The tutorial, in reading order: a page that goes missing from the build fails here.
TUTORIALS = [
    "index.html",
    "why-model.html",
    "sequential.html",
    "functional.html",
    "multi-io.html",
    "plots.html",
    "extract-combine.html",
    "gan.html",
    "keras3-changes.html",
    "three-ways.html",
    "subclassing.html",
    "customize-fit.html",
    "graphs.html",
    "save-load.html",
    "transfer.html",
    "fine-tuning.html",
    "backends.html",
]
#: Pages Sphinx generates: no prose of their own, no cells.
GENERATED = {"genindex.html", "search.html", "py-modindex.html", "404.html"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def pages(language: str = "en") -> list[str]:
    """The written pages of one language, relative to its folder."""
    folder = SITE / language
    found = sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*.html")
        if not path.relative_to(folder).parts[0].startswith("_") and path.name not in GENERATED
    )
    assert "index.html" in found, f"no pages found in {folder}: every check would pass"
    return found


@cache
def html(language: str, page: str) -> str:
    """Read one built page (cached: several tests read the same page)."""
    return (SITE / language / page).read_text(encoding="utf-8")


def soup(language: str, page: str) -> BeautifulSoup:
    """Parse one built page afresh, so a test may take it apart."""
    return BeautifulSoup(html(language, page), "html.parser")


def cells(language: str, page: str) -> list[tuple[str, str]]:
    """Return (code, output) text of every executed cell on a page."""
    found = []
    # A cell tagged raises-exception shows Keras's error on purpose: not a dump.
    for cell in soup(language, page).select("div.cell:not(.tag_raises-exception)"):
        code = cell.select_one("div.cell_input")
        output = cell.select_one("div.cell_output")
        found.append((code.get_text() if code else "", output.get_text() if output else ""))
    return found


def outputs(page: str) -> str:
    """Every cell output of an English page, as one text."""
    return "".join(output for _, output in cells("en", page))


def prose(language: str, page: str) -> list[str]:
    """Return the page's own text blocks: paragraphs, list items, headings, table cells."""
    article = soup(language, page).select_one("article")
    # Code, outputs, API signatures and parameter lists are names, not prose.
    # Link text of an external English page is that page's title, a proper name.
    for external in article.select("a.external"):
        external.decompose()
    for hidden in article.select(
        "div.cell, div.highlight, pre, code, .headerlink, dt.sig, dl.field-list"
    ):
        hidden.decompose()
    blocks = article.select("p, li, h1, h2, h3, td, th, dd, dt")
    return [" ".join(block.get_text(" ").split()) for block in blocks]


def test_every_tutorial_page_is_built(site: Path) -> None:
    missing = [page for page in TUTORIALS if page not in pages()]
    assert not missing, f"pages missing from the English build: {missing}"


def test_every_page_declares_its_language(site: Path) -> None:
    """<html lang> is the folder's language, so screen readers pick the right voice."""
    wrong = [
        f"{language}/{page}: lang={soup(language, page).html.get('lang')!r}"
        for language in LANGUAGES
        for page in pages(language)
        if soup(language, page).html.get("lang") != language
    ]
    assert not wrong, wrong


def test_korean_pages_have_no_english_paragraphs(site: Path) -> None:
    """A block may name APIs (clone_model, Sequential) but must be a Korean sentence."""
    english_left = {}
    checked = 0
    for page in pages("ko"):
        blocks = prose("ko", page)
        checked += len(blocks)
        left = [
            text[:100]
            for text in blocks
            if (latin := len(LATIN_WORD.findall(text))) >= 6 and len(HANGUL.findall(text)) < latin
        ]
        if left:
            english_left[page] = left
    assert checked, "no prose block found on any Korean page"
    assert not english_left, f"English left on Korean pages: {english_left}"


def code_only(source: str) -> str:
    """What Python runs of a cell: its syntax tree, without comments and docstrings."""
    tree = ast.parse("\n".join("" if line.startswith("%") else line for line in source.split("\n")))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            first.value.value = ""  # a docstring, or a constant that does nothing
    return ast.dump(tree)


def test_translation_leaves_code_and_outputs_untouched(site: Path) -> None:
    """Korean pages show the English pages' cells: the same code and outputs, character for
    character, with the comments and docstrings the catalog translates them to.

    Translation can break this: MyST-NB puts ``text/markdown`` outputs into the catalogs,
    so a translated output, or a Korean build that executed a page again, shows here.
    """
    messages = docs_extension("code_comments").messages
    read_catalog = docs_extension("notebook_files").read_catalog
    assert any(cells("en", page) for page in pages()), "no page shows a cell"

    def words(message: str) -> str:  # a message as wrapped in the code, or as one line
        return " ".join(message.split())

    differ = []
    for page in pages():
        catalog = read_catalog(ROOT / "docs/locales/ko/LC_MESSAGES" / page.replace(".html", ".po"))
        english, korean = cells("en", page), cells("ko", page)
        same = len(english) == len(korean) and all(
            out_en == out_ko
            and code_only(en) == code_only(ko)
            and [words(catalog.get(m, m)) for m in messages(en)] == list(map(words, messages(ko)))
            for (en, out_en), (ko, out_ko) in zip(english, korean, strict=False)
        )
        if not same:
            differ.append(page)
    assert not differ, f"code or outputs differ between en/ and ko/: {differ}"


def test_korean_pages_comment_their_code_in_korean(site: Path) -> None:
    """Every comment and docstring in a Korean page's code is Korean."""
    messages = docs_extension("code_comments").messages
    english = {
        page: left
        for page in pages("ko")
        if (
            left := [m for code, _ in cells("ko", page) for m in messages(code) if english_prose(m)]
        )
    }
    assert any(messages(code) for code, _ in cells("ko", "gan.html")), "no comment found"
    assert not english, f"English comments on Korean pages: {english}"


def test_no_output_holds_a_traceback_or_warning_dump(site: Path) -> None:
    dumps = re.compile(
        r"Traceback \(most recent call last\)"  # an uncaught exception
        r"|\.py:\d+: \w*Warning"  # Python's warnings module format
        r"|^[IWEF]\d{4} \d\d:\d\d"  # TensorFlow's C++ log lines
        r"|oneDNN custom operations|absl::",
        re.MULTILINE,
    )
    printed = [(page, code, output) for page in pages() for code, output in cells("en", page)]
    assert any(output for _, _, output in printed), "no cell output found on any page"
    dumped = [
        f"{page}:\n{code}\n{output}" for page, code, output in printed if dumps.search(output)
    ]
    assert not dumped, "cells printed a dump:\n" + "\n".join(dumped)


def test_no_page_names_the_folder_it_was_built_in(site: Path) -> None:
    """A page is the same from every checkout: no traceback frame, no temporary path."""
    named = [
        f"{language}/{page}"
        for language in LANGUAGES
        for page in pages(language)
        if str(ROOT) in html(language, page) or "site-packages" in html(language, page)
    ]
    assert not named, f"pages that name the build machine's folders: {named}"


def test_model_plots_hold_no_memory_addresses(site: Path) -> None:
    """Keras names plot nodes by id(layer); the build's dot numbers them, so a rebuild of
    the same code draws the same bytes (and the same image file names)."""
    address = re.compile(r"<title>\d{10,}")
    plots = {
        image["src"]
        for page in pages()
        for image in soup("en", page).select("div.cell_output img[src$='.svg']")
    }
    assert plots, "no page shows an SVG model plot"
    unstable = [src for src in plots if address.search((SITE / "en" / src).read_text("utf-8"))]
    assert not unstable, f"plots named by memory address: {unstable}"


def test_sequential_page_reproduces_the_post_accuracy(site: Path) -> None:
    """The page's own run reaches the post's level, and its table shows that run's figure."""
    printed = outputs("sequential.html")
    match = re.search(r"test:\s+loss ([\d.]+), accuracy ([\d.]+)", printed)
    assert match, "the sequential page prints no test accuracy"
    test_accuracy = float(match.group(2))
    assert test_accuracy >= 0.97
    row = re.search(r"^test accuracy\s+([\d.]+)\s+([\d.]+)$", printed, re.MULTILINE)
    assert row, "the sequential page has no comparison table"
    assert row.groups() == ("0.9766", f"{test_accuracy:.4f}")


def test_functional_page_shows_shared_and_copied_weights(site: Path) -> None:
    printed = outputs("functional.html")
    assert "identical: True" in printed
    # Both readings of the post's sentence: recompiling either model splits nothing.
    assert "seq_model recompiled, then refit -> model1 changed: True" in printed
    assert "model1 recompiled, seq_model refit -> model1 changed: True" in printed
    assert "copy changed: False" in printed


def test_save_load_page_reloads_an_identical_model(site: Path) -> None:
    printed = outputs("save-load.html")
    # The loaded model, model1 built on it, and the first exercise's weights-only copy.
    assert printed.count("identical: True") == 3
    assert "shared by seq_model and restored: []" in printed
    assert "restored changed when seq_model trained: False" in printed


def test_three_ways_page_builds_one_network_three_times(site: Path) -> None:
    printed = outputs("three-ways.html")
    for way in ("Sequential", "functional", "subclassed"):
        assert re.search(rf"^{way} +parameters: 472,042$", printed, re.MULTILINE), way
    assert "functional largest difference from Sequential: 0.0" in printed
    assert "subclassed largest difference from Sequential: 0.0" in printed


def test_three_ways_page_proves_its_corrected_claims(site: Path) -> None:
    """summary() shows the first call's shapes; functional models pass `training` on."""
    printed = outputs("three-ways.html")
    last_call = printed.index("images in the last call: 100")
    assert "(1, 512)" in printed[last_call:], "the subclassed summary lost the first call's batch"
    assert "training=True: two calls give equal outputs: False" in printed
    assert "training=False: two calls give equal outputs: True" in printed
    assert "training=None: two calls give equal outputs: True" in printed
    # Exercise 1: the first direct call runs call() twice, the build and then the data.
    first_call = r"shape \(2, 784\); model built: False\s+.*shape \(2, 784\); model built: True"
    assert re.search(first_call + r"\s+.*shape \(5, 784\); model built: True", printed)


def test_multi_io_page_fits_with_plain_lists(site: Path) -> None:
    printed = outputs("multi-io.html")
    assert "['aux_output_loss', 'loss', 'main_output_loss']" in printed


def test_keras3_changes_page_shows_the_svg_error_in_a_plain_script(site: Path) -> None:
    printed = outputs("keras3-changes.html")
    assert "IPython importable: True" in printed
    assert "plain script: ValueError: Cannot embed the 'svg' image format" in printed
    assert "model_to_dot.svg written: True" in printed
    assert re.search(r"^default: 0\.9 0\.999 1e-07$", printed, re.MULTILINE)
    assert re.search(r"^post: +1e-08$", printed, re.MULTILINE)


def test_sequential_page_trains_with_the_posts_epsilon(site: Path) -> None:
    printed = outputs("sequential.html")
    assert re.search(r"^Keras 3's default epsilon: 1e-07$", printed, re.MULTILINE)
    assert re.search(r"^this model's epsilon: +1e-08$", printed, re.MULTILINE)


def test_extract_combine_page_freezes_shared_layers_and_keeps_the_accuracy(site: Path) -> None:
    printed = outputs("extract-combine.html")
    frozen = "{'hidden_1': False, 'hidden_2': False, 'features': False, 'digit': True}"
    assert frozen in printed
    before, after = re.search(r"before: ([\d.]+), after: ([\d.]+)", printed).groups()
    assert before == after
    assert "unchanged: True" in printed
    assert "Sequential cut computes the encoder: True" in printed
    assert "Sequential join computes the autoencoder: True" in printed


def test_graphs_page_shows_symmetry_and_broadcasting(site: Path) -> None:
    printed = outputs("graphs.html")
    assert "siamese: f(a, b) == f(b, a): True" in printed
    assert "two_encoders: f(a, b) == f(b, a): False" in printed
    assert re.search(r"^shared minus separate: [+-]\d\.\d{4}$", printed, re.MULTILINE)
    assert re.search(r"^\(None, 64\)$", printed, re.MULTILINE), "add() did not broadcast"
    assert "multiply: (None, 64)" in printed
    assert "concatenate: (None, 65)" in printed  # joins, does not broadcast


def test_why_model_page_links_the_sequential_cut_and_join(site: Path) -> None:
    links = {a["href"] for a in soup("en", "why-model.html").select("article a")}
    assert "extract-combine.html#straight-line-cut-and-join" in links


def test_sequential_page_sends_readers_of_the_post_to_keras3_changes(site: Path) -> None:
    """The first page that shows the post's code links the page that updates it."""
    links = {a["href"] for a in soup("en", "sequential.html").select("article a")}
    assert any(link.split("#")[0] == "keras3-changes.html" for link in links), links


def test_gan_page_proves_which_model_each_step_trains(site: Path) -> None:
    """The Keras 2 recipe leaves D unchanged in D's step; the page's recipe moves each model
    in its own step only, and the figure of generated digits is drawn."""
    printed = outputs("gan.html")
    step = r"D's step:\s+D changed: {}\s+G changed: {}"
    combined = r"combined step:\s+D changed: {}\s+G changed: {}"
    # The Keras 2 recipe (TensorFlow's output, the pinned backend): D never learns.
    assert re.search(step.format("False", "False"), printed), "Keras 2 recipe: D moved"
    assert "The model does not have any trainable weights" in printed
    # The recipe that works: D only in D's step, G only in the combined step, in both
    # rounds (the first builds each model's step), and no warning.
    one_round = step.format("True", "False") + r"\s+" + combined.format("False", "True")
    assert re.search(rf"round 1\s+{one_round}\s+round 2\s+{one_round}\s+warnings: 0", printed), (
        "the working recipe's proof is missing"
    )
    assert "discriminator frozen: 4 trainable weights" in printed
    assert "discriminator trainable: 8 trainable weights" in printed
    assert re.search(combined.format("True", "True"), printed), "exercise 3's answer is missing"
    # A new compile() with a new optimizer recovers the discriminator of the Keras 2 recipe.
    assert "after a new compile(): D changed: True" in printed
    # The Model subclass: fit() trains both networks, each optimizer once per batch, and
    # the callback draws after every epoch.
    assert "logged: ['d_loss', 'g_loss'] for 8 epochs" in printed
    assert "steps of the two optimizers: [632, 632]" in printed
    assert "sample grids drawn: 8" in printed
    images = soup("en", "gan.html").select("div.cell_output img")
    assert len(images) == 1, "the GAN page draws one figure of generated digits"


def test_save_load_page_saves_a_custom_layer_and_the_weights(site: Path) -> None:
    """Without registration Keras cannot find the class; custom_objects or the decorator can."""
    printed = outputs("save-load.html")
    assert "factor after loading: 2.0" in printed
    assert "other names, identical: True" in printed  # load_weights matches by position
    assert "256 units: ValueError" in printed
    assert "registered as: guide>Scale" in printed
    assert "loaded without custom_objects: Scale" in printed
    assert "same weights after load_weights: True" in printed
    assert "TypeError: Could not locate class 'Scale'" in printed
    assert "serve() gives the model's predictions: True" in printed, "no SavedModel served"


def test_graphs_page_explains_nodes_and_first_call_outputs(site: Path) -> None:
    """`.output` is the first call's output; a sub-model from image_b cannot reach it."""
    printed = outputs("graphs.html")
    assert "encoder.output is the first call's output: True" in printed
    assert "encoder.output is the second call's output: False" in printed
    assert "image_a -> (None, 64)" in printed
    assert "same encoder layer: True" in printed
    errors = soup("en", "graphs.html").select("div.cell.tag_raises-exception div.cell_output")
    assert any("is not connected to" in error.get_text() for error in errors)
    assert "약간 이 부분이 이해가 좀 안되기는 하는데" in html("en", "graphs.html")


def test_plots_page_shows_what_is_trainable_in_a_nested_model(site: Path) -> None:
    printed = outputs("plots.html")
    assert re.search(r"└ hidden_1 \(Dense\).*\bN\b", printed), "nested, frozen layer missing"
    assert re.search(r"new_digit \(Dense\).*\bY\b", printed), "trainable head missing"
    assert "updated by training: ['new_digit']" in printed  # exercise 1, from the model
    assert "Non-trainable" in html("en", "plots.html"), "no plot marks a frozen layer"


def test_fine_tuning_page_shows_training_false_overridden_and_the_fix(site: Path) -> None:
    """BatchNormalization's modes, and the statistics fine-tuning moves unless frozen."""
    printed = outputs("fine-tuning.html")
    assert "non-trainable: ['moving_mean', 'moving_variance']" in printed
    assert "the two modes give the same output: False" in printed
    assert "after a call with training=False: moving mean changed: False" in printed
    assert "after a call with training=True:  moving mean changed: True" in printed
    assert "frozen: moving mean changed: False, dense kernel changed: False" in printed
    assert "fine-tuning: moving mean changed: True, dense kernel changed: True" in printed
    assert "training=True: moving mean changed: True" in printed
    assert "normalization frozen: moving mean changed: False, dense kernel changed: True" in printed
    assert "BatchNormalization layers frozen: ['batch_norm']" in printed
    assert "moving mean is the pretrained one: True" in printed


def test_three_ways_page_mixes_the_styles(site: Path) -> None:
    """A custom layer in a functional model, that model inside a subclassed one."""
    printed = outputs("three-ways.html")
    assert "rescale (Rescale): (None, 32)" in printed
    assert "encoder parameters: 25152" in printed
    assert "output shape: (100, 10)" in printed
    assert "layers: ['encoder', 'head']" in printed
    assert "holds the encoder's weights: True" in printed


def test_three_ways_page_trains_a_keras_ops_loss(site: Path) -> None:
    """A layer and a loss written with keras.ops, checked and trained."""
    printed = outputs("three-ways.html")
    assert "loss shape: (100,)" in printed
    assert "same as Keras's loss: True" in printed
    assert "Rescale's factors moved: True" in printed
    assert "loss went down: True" in printed


def test_subclassing_page_proves_build_training_config_and_add_loss(site: Path) -> None:
    """A subclass without build() stays empty; what `training` each run passes; saving."""
    printed = outputs("subclassing.html")
    assert "built: True\nweights: 0\n" in printed, "build() without a build method"
    assert "weights: 4\n" in printed
    assert "first call:       [None, None]" in printed
    assert "plain call:       [None]" in printed
    assert "predict:          [False]" in printed
    assert "fit passed True:  True" in printed
    assert "Dropout changed nothing on a plain call: True" in printed
    assert "{'name': 'noisy_classifier', 'units': 64, 'stddev': 0.1}" in printed
    assert "NotImplementedError: Object Head was created by passing non-serializable" in printed
    assert "same predictions: True" in printed
    assert "evaluate's loss is crossentropy + penalty: True" in printed
    assert "two plain calls agree: False" in printed
    assert "rate after loading: 0.3" in printed


def test_customize_fit_page_proves_each_way_to_change_fit(site: Path) -> None:
    """Validation, callbacks, weights, dict results, four data sources, compute_loss,
    and a train_step that trains as the built-in one does."""
    printed = outputs("customize-fit.html")
    assert "history: ['accuracy', 'loss', 'val_accuracy', 'val_loss']" in printed
    assert "stopped before 30 epochs: True" in printed
    assert "epochs after the best one: 2" in printed
    assert "the restored weights give the best val_loss: True" in printed
    assert "the checkpoint gives the best val_loss: True" in printed
    for way in ("sample_weight", "class_weight"):
        assert f"{way}: recognises 0s: False, 1s: True" in printed
    assert "['digit_accuracy', 'digit_loss', 'even_accuracy', 'even_loss', 'loss']" in printed
    # The site build installs PyTorch (the backends group), so the DataLoader runs too.
    for source in ("NumPy arrays", "tf.data.Dataset", "PyDataset", "DataLoader"):
        assert re.search(
            rf"^{re.escape(source)} +batches: 100, test accuracy: 0\.\d{{3}}$",
            printed,
            re.MULTILINE,
        )
    assert "val_loss as with the built-in steps: True" in printed
    assert "evaluate: ['accuracy', 'loss']" in printed
    assert "'entropy', 'loss', 'val_accuracy', 'val_entropy', 'val_loss']" in printed
    assert "same values: True" in printed
    assert "['epoch_01.keras', 'epoch_02.keras', 'epoch_03.keras']" in printed
