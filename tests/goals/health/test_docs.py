"""docs/chain-health.md explains every kind of finding in the table, with its threshold."""

from pathlib import Path

from django.conf import settings

from goals.health.kinds import KINDS

DOC = Path(settings.BASE_DIR) / "docs" / "chain-health.md"


def test_the_documentation_explains_every_kind_and_its_threshold():
    text = DOC.read_text()
    for kind in KINDS:
        assert f"### `{kind.code}`" in text, kind.code
        row = next(line for line in text.splitlines() if line.startswith(f"| `{kind.code}` |"))
        assert ("| yes |" if kind.public else "| no |") in row, kind.code
        threshold = f"{kind.threshold_days} days" if kind.threshold_days else ""
        assert f"| {threshold} |".replace("|  |", "| |") in row, kind.code
