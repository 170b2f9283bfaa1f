from django.dispatch import Signal

# Sent whenever a unit's placement is checked: when it is added, moved, edited or dissolved.
# Apps that build on orgunits (goals) receive it and return a list of messages, one for each thing
# of theirs that the change would break; orgunits itself knows nothing of them. Arguments:
# ``unit`` as it is in memory (with any new kind or active flag) and ``parent``, where it is to
# stand (None for the top).
placement_checked = Signal()
