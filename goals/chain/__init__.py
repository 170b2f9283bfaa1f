"""The steering chain and its workflow: the periods of the plan, the goals that break each other
down from the vision to the activities, the rules of where a goal may stand (``placement``), the
steps a goal takes to its decision (``workflow``) and the services that take them (``services``)."""
