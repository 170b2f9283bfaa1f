"""The Swedish translation is complete and compiled, so no English slips into the Swedish pages."""

import re
import shutil
import subprocess
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "styrmodell" / "locale" / "sv" / "LC_MESSAGES"


def entries(po_text: str) -> list[str]:
    return [block for block in po_text.split("\n\n") if "\nmsgid " in f"\n{block}"]


def test_every_message_is_translated_and_none_is_fuzzy():
    po_text = (LOCALE / "django.po").read_text(encoding="utf-8")
    problems = []
    for entry in entries(po_text)[1:]:  # the first entry is the header
        msgid = re.search(r'^msgid "(.*)"', entry, re.MULTILINE).group(1)
        if "#, fuzzy" in entry or re.search(r'^msgstr(\[\d\])? ""\n(?!")', entry + "\n", re.MULTILINE):
            problems.append(msgid or entry.splitlines()[-1])
    assert problems == []


def test_the_compiled_translation_matches_the_source(tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian's gettext) is needed; `make test` installs it"
    subprocess.run([msgfmt, "--check-format", "-o", tmp_path / "django.mo", LOCALE / "django.po"], check=True)
    assert (tmp_path / "django.mo").read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages`"
