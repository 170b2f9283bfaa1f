from dataclasses import dataclass, field

from django.dispatch import Signal


@dataclass
class PageSection:
    """A part of a page that an app above contributes: a template and its context."""

    template_name: str
    context: dict = field(default_factory=dict)


# Sent whenever a unit's placement is checked: when it is added, moved, edited or dissolved.
# Apps that build on orgunits (goals) receive it and return a list of messages, one for each thing
# of theirs that the change would break; orgunits itself knows nothing of them. Arguments:
# ``unit`` as it is in memory (with any new kind or active flag) and ``parent``, where it is to
# stand (None for the top).
placement_checked = Signal()

# Sent whenever what a unit also serves is checked (``OrgUnit.serving_problems``). Apps above return
# a list of messages, one for each thing of theirs that stopping to serve a body would break.
# Arguments: ``unit`` and ``bodies``, everything it is to serve besides the body above it.
serving_checked = Signal()

# Sent while a unit's page is rendered. Apps above orgunits return a ``PageSection`` to show
# their part of the unit (goals show the unit's goals), or None to show nothing. Arguments:
# ``request`` and ``unit``.
unit_page_shown = Signal()
