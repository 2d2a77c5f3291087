"""The catalog tool (keras_model_guide.tools.catalogs): the real catalogs and its write points.

The slow fault tests (test_faults.py) kill a real update at random moments; this file
stops one deterministically at every point where it changes a file.
"""

from __future__ import annotations

import shutil

import pytest
from babel.messages.pofile import read_po, write_po
from support import ROOT

from keras_model_guide.tools import catalogs

CATALOGS = ROOT / "docs" / "locales" / "ko" / "LC_MESSAGES"


@pytest.mark.parametrize("po", sorted(CATALOGS.glob("*.po")), ids=lambda path: path.name)
def test_every_catalog_of_the_project_is_trusted(po):
    assert catalogs.problems(po) == []


class Stop(BaseException):
    """What a kill does to the update, at one chosen point."""


def test_an_update_stopped_at_any_write_leaves_each_catalog_old_or_new(tmp_path, monkeypatch):
    locales, templates = tmp_path / "locales", tmp_path / "pot"
    messages = locales / "ko" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    templates.mkdir()
    for name in ("glossary", "graphs", "functional"):
        shutil.copy(CATALOGS / f"{name}.po", messages)
        with (CATALOGS / f"{name}.po").open("rb") as handle:
            catalog = read_po(handle)
        catalog.add(f"A new paragraph of {name}.")
        with (templates / f"{name}.pot").open("wb") as handle:
            write_po(handle, catalog)
    old = {po.name: po.read_bytes() for po in messages.glob("*.po")}
    assert catalogs.update(templates, locales, "ko", tmp_path / "work") == 0
    new = {po.name: po.read_bytes() for po in messages.glob("*.po")}
    assert all(new[name] != old[name] for name in old)

    real_replace, real_fsync = catalogs.Path.replace, catalogs.os.fsync
    for point, owner in (("fsync", catalogs.os), ("replace", catalogs.Path)):
        for stop_at in range(len(old)):
            for name, data in old.items():
                (messages / name).write_bytes(data)
            calls = []

            def stop(
                *args,
                real=real_replace if point == "replace" else real_fsync,
                calls=calls,
                stop_at=stop_at,
            ):
                calls.append(args)
                if len(calls) > stop_at:
                    raise Stop
                return real(*args)

            monkeypatch.setattr(owner, point, stop)
            with pytest.raises(Stop):
                catalogs.update(templates, locales, "ko", tmp_path / "work")
            monkeypatch.undo()
            states = {po.name: po.read_bytes() for po in messages.glob("*.po")}
            assert all(states[name] in (old[name], new[name]) for name in old), (point, stop_at)
            assert sum(states[name] == new[name] for name in old) == stop_at
            assert list(messages.glob(".*")) == []  # a stopped write leaves no temporary file
