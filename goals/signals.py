"""What the goals app tells the apps above it when a workflow step is taken (notices listens).

Each signal is sent inside the step's transaction, after its writes, so that whatever a receiver
stores commits exactly when the step does, and is rolled back with it. Receivers must not send
anything out themselves (no e-mail inside a request): they store, and a command sends later.

- ``goal_step_taken``: ``step`` (``goals.chain.workflow.Step``: SUBMIT, APPROVE or RETURN),
  ``items`` (the goals, or the revisions of approved goals, that took the step, in one call for a
  whole decision), ``by`` (who took it, None outside a person's action) and ``comment`` (why a
  goal was sent back; empty otherwise).
- ``follow_up_step_taken``: ``step`` (SUBMIT, REVIEW or RETURN), ``follow_up``, ``by``, ``comment``.
"""

from django.dispatch import Signal

goal_step_taken = Signal()
follow_up_step_taken = Signal()
