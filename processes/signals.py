from django.dispatch import Signal

# Sent while a process's or a target group's page is rendered (the sender is ``Process`` or
# ``TargetGroup``). Apps above processes return an ``orgunits.signals.PageSection`` to show their
# part (goals show the goals that serve the process or are aimed at the group), or None.
# Arguments: ``request`` and ``obj``.
page_shown = Signal()
