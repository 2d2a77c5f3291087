"""Keep the Korean catalogs safe: strict syntax, markup kept, no lost work, atomic writes.

A build tool, not a lesson: the Sphinx extensions import it (sphinxext.translation), and ``nox -s translations`` runs it
(``python -m keras_model_guide.tools.catalogs update ...``).

sphinx-intl empties a catalog and then writes it again in place: a ``nox -s translations``
stopped at that moment left ``graphs.po`` empty, ``functional.po`` cut mid-entry, or a
valid catalog without 117 of its translations, which the next run then accepted as the new
state. ``update`` below runs sphinx-intl on a copy in ``docs/_build``, checks the result,
and moves each changed catalog into place with one rename, so a catalog is always either
the old or the new file. Before it starts, it refuses to touch a catalog that already lost
translations against git's HEAD, and says how to get them back.

Babel's reader accepts what ``msgfmt --check`` refuses (an unterminated quote cut the last
syllable of a title), so ``syntax_errors`` reads the file line by line first.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+{_STRING}\s*$")
_CONTINUATION = re.compile(rf"^{_STRING}\s*$")
_ROLE = re.compile(r"\{([\w:.-]+)\}`([^`]*)`")
_CODE = re.compile(r"(`+)(.+?)\1")
_QUOTE = "In English: “"  # the English of a Korean quote from the post (markup_errors)
_LINK = re.compile(r"\]\(([^)\s]*)\)|<(https?://[^>\s]+)>")


def syntax_errors(text: str) -> list[tuple[int, str]]:
    """Each line of a catalog that gettext cannot read, with what is wrong with it.

    >>> syntax_errors('msgid "Title"\\nmsgstr "제목\\n')
    [(2, 'a string is not closed (a missing " at the end of the line)')]
    >>> syntax_errors('msgid "a"\\nmsgstr "b"\\n"c"\\n# note\\n')
    []
    """
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _KEYWORD.match(stripped) or _CONTINUATION.match(stripped):
            continue
        if re.match(r'^(msg\w+(\[\d+\])?\s+)?"', stripped) and not stripped.endswith('"'):
            errors.append((number, 'a string is not closed (a missing " at the end of the line)'))
        else:
            errors.append((number, "not gettext syntax (msgid/msgstr followed by a quoted string)"))
    return errors


def load(path: Path) -> Catalog:
    """Read a catalog that ``syntax_errors`` found valid."""
    with path.open("rb") as handle:
        return read_po(handle)


def _markup(text: str) -> tuple[Counter[tuple[str, str]], list[str]]:
    """The markup a translation must keep, and what is unbalanced in ``text``.

    >>> found, unbalanced = _markup("See {ref}`the page <seq>`, `fit()` and [docs](a.md).")
    >>> sorted(found)
    [('code span', '`fit()`'), ('link to', 'a.md'), ('role', '{ref} seq')]
    >>> _markup("**bold and `code")[1]
    ['an unclosed ` (code span)', 'an unclosed ** (strong emphasis)']
    """
    found: Counter[tuple[str, str]] = Counter()
    for name, content in _ROLE.findall(text):
        target = re.search(r"<([^>]*)>\s*$", content)
        found["role", f"{{{name}}} {(target.group(1) if target else content).strip()}"] += 1
    rest = _ROLE.sub(" ", text)
    for _ticks, code in _CODE.findall(rest):
        found["code span", f"`{code.strip()}`"] += 1
    rest = _CODE.sub(" ", rest)
    for target, url in _LINK.findall(rest):
        found["link to", target or url] += 1
    unbalanced = []
    if "`" in rest:
        unbalanced.append("an unclosed ` (code span)")
    strong = rest.count("**")
    if strong % 2:
        unbalanced.append("an unclosed ** (strong emphasis)")
    if (rest.replace("**", "").count("*") - len(re.findall(r"\s\*\s", rest))) % 2:
        unbalanced.append("an unclosed * (emphasis)")
    if rest.count("[") != rest.count("]"):
        unbalanced.append("unbalanced [ ] (a link)")
    found["strong emphasis", "**"] = strong // 2
    return +found, unbalanced


def markup_errors(msgid: str, msgstr: str) -> list[str]:
    """What the translation ``msgstr`` breaks of the markup of ``msgid``.

    Two things are allowed. Korean may set an English name in code that the English
    wrote as plain text (`Sequential`, `Non-trainable params`). And the English of the
    post's own Korean words ("In English: “...”") is not translated back: the Korean page
    points to the original instead.

    >>> markup_errors("Call `fit()` on [the model](a.md).", "[모델](a.md)에서 호출합니다.")
    ['drops code span `fit()`']
    >>> markup_errors("Train a Sequential model", "`Sequential` 모델 학습하기")
    []
    >>> markup_errors("A **bold** word", "**굵은 단어")
    ['has an unclosed ** (strong emphasis)', 'drops strong emphasis **']
    >>> markup_errors("See [the page](a.md).", "[페이지](b.md)를 보십시오.")
    ['drops link to a.md', 'adds link to b.md']
    """
    if not msgstr or msgid.startswith(_QUOTE):
        return []
    source, _ = _markup(msgid)
    translated, unbalanced = _markup(msgstr)
    errors = [f"has {problem}" for problem in unbalanced]
    for (kind, value), count in sorted((source - translated).items()):
        errors.append(f"drops {kind} {value}" if count == 1 else f"drops {count} {kind} {value}")
    for (kind, value), count in sorted((translated - source).items()):
        if kind == "code span" and value.isascii():
            continue
        errors.append(f"adds {kind} {value}" if count == 1 else f"adds {count} {kind} {value}")
    return errors


def problems(path: Path) -> list[tuple[int, str]]:
    """Every reason not to trust the catalog ``path``: (line, what is wrong), line first."""
    text = path.read_text(encoding="utf-8", errors="replace")
    errors = syntax_errors(text)
    if errors:
        return errors
    lines = text.splitlines()
    found = []
    for message in load(path):
        if message.id and isinstance(message.id, str) and isinstance(message.string, str):
            line = message.lineno or 1  # the msgid's line; point at its msgstr
            while line <= len(lines) and not lines[line - 1].startswith("msgstr"):
                line += 1
            for error in markup_errors(message.id, message.string):
                found.append((line, f"the msgstr {error} of its msgid"))
    return found


def compiled(path: Path) -> bytes:
    """The .mo file that ``path`` (a trusted catalog) compiles to; fuzzy entries left out."""
    buffer = io.BytesIO()
    write_mo(buffer, load(path), use_fuzzy=False)
    return buffer.getvalue()


def replace_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader, or a kill, sees the old or new file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def translations(catalog: Catalog | None) -> dict[str, str]:
    """Each msgid of ``catalog`` that has a msgstr (fuzzy or not), with it."""
    if catalog is None:
        return {}
    return {
        message.id: message.string
        for message in catalog
        if message.id and isinstance(message.id, str) and str(message.string).strip()
    }


def lost(before: dict[str, str], now: dict[str, str], wanted: Iterable[str]) -> list[str]:
    """The msgids in ``wanted`` that ``before`` translated and ``now`` does not.

    >>> lost({"a": "가", "b": "나", "gone": "다"}, {"a": "가"}, ["a", "b"])
    ['b']
    """
    return [msgid for msgid in wanted if msgid in before and msgid not in now]


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8") if done.returncode == 0 else None


def at_head(path: Path) -> Catalog | None:
    """The catalog ``path`` as git's HEAD holds it (None outside git or when it is new)."""
    text = _git(path.parent, "show", f"HEAD:./{path.name}")
    if text is None or syntax_errors(text):
        return None
    return read_po(io.StringIO(text))


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _damaged(po: Path, wanted: set[str]) -> str | None:
    """Why ``po`` must not be updated (it lost work), or None."""
    text = po.read_text(encoding="utf-8", errors="replace")
    errors = syntax_errors(text)
    head = translations(at_head(po))
    try:  # read as Babel can, even when the syntax is broken, without its warnings
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            now = translations(load(po))
    except Exception:  # noqa: BLE001 - any reading error: nothing in it can be counted
        now = {}
    missing = lost(head, now, sorted(wanted & head.keys()))
    name = _shown(po)
    if missing:
        return (
            f"{name} has lost {len(missing)} translation(s) that git's HEAD has (an interrupted "
            f"update, or an editor): see `git diff {name}`, restore with `git checkout -- "
            f"{name}`, then run `nox -s translations` again."
        )
    if errors:
        line, problem = errors[0]
        return f"{name}:{line}: {problem}: fix it (see `git diff {name}`) and run this again."
    return None


def update(pot_dir: Path, locale_dir: Path, language: str, work: Path) -> int:
    """Refresh ``locale_dir``'s catalogs from ``pot_dir``'s templates, never losing work."""
    from sphinx_intl import basic

    catalogs = locale_dir / language / "LC_MESSAGES"
    catalogs.mkdir(parents=True, exist_ok=True)
    for leftover in catalogs.glob(".*.tmp"):  # a write stopped before its rename
        leftover.unlink()
    templates = {pot.stem: pot for pot in sorted(pot_dir.glob("*.pot"))}
    refusals = []
    for name, pot in templates.items():
        po = catalogs / f"{name}.po"
        if po.is_file():
            wanted = set(translations_of_template(pot))
            if reason := _damaged(po, wanted):
                refusals.append(reason)
    if refusals:
        for reason in refusals:
            print(f"ERROR: {reason}", file=sys.stderr)
        print("ERROR: no catalog was changed.", file=sys.stderr)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    copy = work / language / "LC_MESSAGES"
    copy.mkdir(parents=True)
    for po in catalogs.glob("*.po"):
        shutil.copy2(po, copy / po.name)
    with contextlib.redirect_stdout(io.StringIO()):  # it names the copies; we name the files
        basic.update(str(work), str(pot_dir), (language,), ignore_obsolete=True, jobs=1)
    changed = []
    for name, pot in templates.items():
        new, old = copy / f"{name}.po", catalogs / f"{name}.po"
        if errors := syntax_errors(new.read_text(encoding="utf-8")):
            print(
                f"ERROR: sphinx-intl wrote {new}:{errors[0][0]} badly ({errors[0][1]}); no "
                "catalog was changed: check the template in the gettext folder and run again.",
                file=sys.stderr,
            )
            return 1
        before = translations(load(old)) if old.is_file() else {}
        gone = lost(before, translations(load(new)), translations_of_template(pot))
        if gone:
            print(
                f"ERROR: the update would drop {len(gone)} translation(s) of {_shown(old)} "
                "whose English is unchanged; no catalog was changed: report this with the file.",
                file=sys.stderr,
            )
            return 1
        if not old.is_file() or old.read_bytes() != new.read_bytes():
            changed.append((old, new.read_bytes()))
    for old, data in changed:  # each catalog is replaced whole, in one rename
        replace_atomically(old, data)
        print(f"Updated {_shown(old)}")
    shutil.rmtree(work, ignore_errors=True)
    print(f"{len(changed)} catalog(s) updated, {len(templates) - len(changed)} unchanged.")
    return 0


def translations_of_template(pot: Path) -> list[str]:
    """Every msgid of the template ``pot``."""
    return [message.id for message in load(pot) if message.id and isinstance(message.id, str)]


def main(argv: list[str] | None = None) -> int:
    """``update``: refresh the catalogs safely (what ``nox -s translations`` runs)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("update", help="refresh the catalogs from the templates")
    command.add_argument("--pot", type=Path, required=True, help="the gettext builder's folder")
    command.add_argument("--locales", type=Path, required=True, help="docs/locales")
    command.add_argument("--language", default="ko")
    command.add_argument("--work", type=Path, required=True, help="a scratch folder")
    args = parser.parse_args(argv)
    return update(args.pot, args.locales, args.language, args.work)


if __name__ == "__main__":
    sys.exit(main())
