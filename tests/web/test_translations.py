"""The Simplified Chinese catalogue is complete: makemessages, run on a copy of
the project, finds no string without a translation, and the committed .mo
matches the .po."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = "zh_Hans"
PO = Path(settings.BASE_DIR) / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What makemessages must not read: the tests, tools and generated files.
IGNORED = [".venv", "staticfiles", "tests", "benchmarks", "node_modules", ".git"]


def makemessages_command() -> list[str]:
    """The command that refreshes the catalogue (documented here, run below)."""
    return [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        LOCALE,
        "--no-obsolete",
        *(f"--ignore={path}" for path in IGNORED),
    ]


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> polib.POFile:
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("project") / "offpeak"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            *IGNORED, "__pycache__", "*.sqlite3", "artifacts"
        ),
    )
    subprocess.run(
        makemessages_command(), cwd=copy, check=True, capture_output=True, timeout=120
    )
    return polib.pofile(str(copy / PO.relative_to(settings.BASE_DIR)))


def test_makemessages_finds_no_untranslated_string(fresh_catalogue):
    untranslated = [e.msgid for e in fresh_catalogue.untranslated_entries()]
    assert untranslated == [], (
        f"{len(untranslated)} strings lack Chinese: {untranslated[:20]}"
    )


def test_no_translation_is_fuzzy(fresh_catalogue):
    assert [e.msgid for e in fresh_catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in polib.pofile(str(PO)).fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_po():
    po = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO)).translated_entries()}
    mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(MO))}
    assert set(po) <= set(mo), "recompile: msgfmt -o django.mo django.po"
    for key, entry in po.items():
        compiled = mo[key]
        if entry.msgid_plural:
            assert compiled.msgstr_plural[0] == entry.msgstr_plural[0], key
        else:
            assert compiled.msgstr == entry.msgstr, key


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(PO)).translated_entries():
        if "python-format" not in entry.flags:
            continue
        text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        for token in ("%(", "%s", "%r", "%d"):
            assert entry.msgid.count(token) <= text.count(token) + (
                1 if token == "%d" else 0
            ), (entry.msgid, text)
