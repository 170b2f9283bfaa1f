"""The figures of each scenario run, for the table ``make stress`` prints at the end."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tests.concurrency.invariants import Findings
from tests.concurrency.racing import Answer

COLUMNS = (
    "scenario",
    "tries",
    "2xx",
    "4xx (rule)",
    "409",
    "5xx",
    "tree problems",
    "rule violations",
    "silent overwrites",
    "decisions per approved goal",
)


@dataclass
class Figures:
    scenario: str
    tries: int
    verdicts: Counter
    findings: Findings
    seconds: float

    def row(self) -> tuple[str, ...]:
        average = self.findings.decisions_per_approved_goal
        return (
            self.scenario,
            str(self.tries),
            str(self.verdicts["2xx"]),
            str(self.verdicts["4xx"]),
            str(self.verdicts["409"]),
            str(self.verdicts["5xx"]),
            str(len(self.findings.tree_problems)),
            str(len(self.findings.rule_violations) + len(self.findings.decision_problems)),
            str(len(self.findings.lost_writes)),
            "–" if average is None else f"{average:.2f}",
        )


# Filled by the tests as they run, printed by ``conftest.pytest_terminal_summary``.
RUNS: list[Figures] = []


def record(scenario: str, answers: Iterable[Answer], findings: Findings) -> Figures:
    answers = list(answers)
    seconds = max((a.finished for a in answers), default=0) - min((a.started for a in answers), default=0)
    figures = Figures(scenario, len(answers), Counter(a.verdict for a in answers), findings, seconds)
    RUNS.append(figures)
    return figures


def record_and_check(scenario: str, answers: Iterable[Answer], server_tracebacks, **facts) -> None:
    """What a race left, as every scenario judges it: ``Findings.gather`` with ``facts`` (the writes
    acknowledged, the state before and after, ...), the run's figures recorded for the table, and a
    failure with every finding and the first server traceback."""
    answers = list(answers)
    findings = Findings.gather(answers, **facts)
    record(scenario, answers, findings)
    findings.assert_none(server_tracebacks)


def table(runs: Iterable[Figures]) -> str:
    """The figures as a Markdown table (readable in a terminal, pasteable into a report)."""
    rows = [COLUMNS, *(figures.row() for figures in runs)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]

    def line(cells) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    return "\n".join([line(rows[0]), line("-" * width for width in widths), *map(line, rows[1:])])
