"""``bench.run.write_between_markers``: the bench writes its figures into documents written by hand."""

from pathlib import Path

import pytest

from bench.run import CAPACITY_END, CAPACITY_START, END_MARKER, START_MARKER, write_between_markers

ROOT = Path(__file__).resolve().parents[2]


def test_the_documents_the_bench_writes_hold_its_markers():
    deployment = (ROOT / "docs" / "deployment.md").read_text()
    performance = (ROOT / "docs" / "performance.md").read_text()

    assert deployment.index(CAPACITY_START) < deployment.index(CAPACITY_END)
    assert performance.index(START_MARKER) < performance.index(END_MARKER)


def test_a_document_without_the_markers_is_left_alone_and_the_run_stops(tmp_path):
    written_by_hand = tmp_path / "deployment.md"
    written_by_hand.write_text("# Deployment\n\nHow to run it, written by hand.\n")

    with pytest.raises(SystemExit, match="no <!-- capacity:start -->"):
        write_between_markers(written_by_hand, CAPACITY_START, CAPACITY_END, "figures", title="# Deployment")

    assert written_by_hand.read_text() == "# Deployment\n\nHow to run it, written by hand.\n"


def test_a_missing_document_is_made_of_the_figures_alone(tmp_path):
    new = tmp_path / "deployment.md"

    write_between_markers(new, CAPACITY_START, CAPACITY_END, "figures", title="# Deployment")

    assert new.read_text() == f"# Deployment\n\n{CAPACITY_START}\nfigures\n{CAPACITY_END}\n"
