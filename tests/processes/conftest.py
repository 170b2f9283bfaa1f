import pytest

from processes.models import Process, ProcessKind, TargetGroup


class Processes:
    """Target groups and processes over the small group of ``tests.kit.organisation.Group``."""

    def __init__(self, group):
        self.residents = TargetGroup.objects.add_root(instance=TargetGroup(name="Invånare", slug="invanare"))
        self.children = TargetGroup.objects.add_child(
            self.residents, instance=TargetGroup(name="Barn och unga", slug="barn-och-unga")
        )
        self.businesses = TargetGroup.objects.add_root(instance=TargetGroup(name="Företag", slug="foretag"))
        self.learning = Process.objects.create(
            kind=ProcessKind.MAIN,
            name="Lärande",
            owning_unit=group.administration,
            purpose="Alla barn lär sig.",
        )
        self.learning.participants.set([group.committee, group.company])
        self.learning.target_groups.set([self.children])
        self.care = Process.objects.create(
            kind=ProcessKind.MAIN, name="Omsorg och stöd", owning_unit=group.other_committee
        )
        self.hr = Process.objects.create(kind=ProcessKind.SUPPORT, name="HR", owning_unit=group.board)


@pytest.fixture
def processes(group) -> Processes:
    return Processes(group)
