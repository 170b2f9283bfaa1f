"""Who may call an API action: the same django-rules permissions that the web views ask.

A viewset states, for each of its actions, the rule that admits a caller (``action_rules``); the
permission class asks it, with the object when the action has one. An action that states no rule
is refused, so a new action stays closed until someone says who may call it. A caller the rule
refuses is told why in one sentence (``REFUSALS``), in the request's language.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from goals.rules import reviews_follow_up

# Anyone, anonymous visitors included. Which objects they see is the queryset's business
# (``Goal.objects.visible_to(user)``), as on the web.
PUBLIC = "public"
# Any signed-in user; again, the queryset decides what each one sees.
SIGNED_IN = "signed in"

# PUBLIC, SIGNED_IN, the name of a permission registered with django-rules ("goals.edit_goal",
# asked as ``user.has_perm(name, obj)``), or a predicate (``rules.is_staff``).
Rule = str | rules.Predicate


def reads(rule: Rule) -> dict[str, Rule]:
    """The rule of a collection's list and of reading one of its objects."""
    return {"list": rule, "retrieve": rule}


def updates(rule: Rule) -> dict[str, Rule]:
    """The rule of a change: PUT (``update``) and PATCH (``partial_update``) change the same object,
    so one rule admits both."""
    return {"update": rule, "partial_update": rule}


def writes(rule: Rule) -> dict[str, Rule]:
    """The rule of making an object (``create``) and of changing one."""
    return {"create": rule, **updates(rule)}


# The writes whose rule is asked again with the object as the write would leave it, and the method
# of the view that does so (see ``api.viewsets.RulesViewSet``).
_ASKED_ON_SAVE = {"create": "perform_create", "update": "perform_update", "partial_update": "perform_update"}


def asks_rule(method):
    """Mark a viewset's ``perform_create`` or ``perform_update`` that asks the action's rule with the
    object about to be saved (``self.check_object_permissions``) before saving it.

    The permission class refuses a create or an update whose method is not marked, so a mixin that
    shadows the base's method (DRF's ``CreateModelMixin`` listed before ``RulesViewSet``) closes the
    action instead of skipping the rule.
    """
    method.asks_rule = True
    return method


# Why a signed-in caller is refused, by the rule that refused them: the 403's ``detail``, naming
# who may (the portal's administrators may do everything, so they go unsaid). A rule
# without a sentence here is refused with ``REFUSED``; ``test_every_rule_says_why_it_refuses``
# asks for one for every rule a viewset states.
REFUSALS: dict[Rule, str] = {
    rules.is_staff: _("Only the portal's administrators may do this."),
    "goals.add_goal_at_unit": _(
        "Only the unit's managers and editors, and those who prepare its political body's goals, "
        "may add goals there."
    ),
    "goals.edit_goal": _(
        "Only the managers and editors of the goal's unit, and those who prepare its political body's "
        "goals, may change it."
    ),
    "goals.submit_goal": _(
        "Only the managers and editors of the goal's unit, and those who prepare its political body's "
        "goals, may submit it for decision."
    ),
    "goals.decide_goal": _("Only those who decide this goal may decide it or send it back."),
    "goals.import_measurements": _("Only the managers and editors of a unit may import measurements."),
    "goals.report_follow_up": _(
        "Only the managers and editors of the goal's unit, and the administrations that prepare its "
        "political body's goals, may report how it went."
    ),
    reviews_follow_up: _(
        "Only those who decide the goal may review its follow-up, and never whoever submitted it."
    ),
    "orgunits.manage_memberships": _(
        "Only the managers of the unit, or of a unit above it, may manage its memberships."
    ),
    "processes.edit_process": _("Only the process's owner may change it."),
}
REFUSED = _("No rule of the API lets you do this.")


def refusal(rule: Rule | None) -> str:
    """Why ``rule`` refuses a signed-in caller, in one sentence."""
    return REFUSALS.get(rule, REFUSED)


def rule_for(view) -> Rule | None:
    return getattr(view, "action_rules", {}).get(getattr(view, "action", None))


def allows(rule: Rule, user, obj) -> bool:
    if rule in (PUBLIC, SIGNED_IN):
        return rule == PUBLIC or user.is_authenticated
    if isinstance(rule, rules.Predicate):
        return rule.test(user, obj)
    return user.has_perm(rule, obj)


class RulesPermission(BasePermission):
    """Asks the rule that the view states for its action in ``action_rules``.

    A rule that needs an object is asked by ``has_object_permission``: for a detail action with the
    object fetched (``view.rule_object(obj)``, by default the object itself), and for ``create``
    with the object about to be made, which ``api.viewsets.RulesViewSet.perform_create`` builds and
    passes to ``check_object_permissions``; an update is asked again with the object as changed.
    A predicate that does not look at the object (``rules.is_staff``) is asked at once, for any
    action. Any other action without an object asks its rule with ``None``.
    """

    def has_permission(self, request, view) -> bool:
        rule = rule_for(view)
        # What DRF answers if this returns False (an anonymous caller is asked to sign in instead).
        self.message = refusal(rule)
        if rule is None:
            # A method that a viewset's route does not answer is left to the view's 405.
            method = request.method.lower()
            return hasattr(view, "action_map") and method != "options" and method not in view.action_map
        if rule == PUBLIC:
            return True
        if not request.user.is_authenticated:
            return False
        saving = _ASKED_ON_SAVE.get(view.action)
        if saving and not getattr(getattr(view, saving, None), "asks_rule", False):
            return False
        if isinstance(rule, rules.Predicate) and rule.num_args < 2 and not rule.var_args:
            # A rule that does not look at the object (``rules.is_staff``) is answered here, before
            # the request's data is read, so a refused caller learns nothing from validation.
            return rule.test(request.user)
        if getattr(view, "detail", False) or view.action == "create":
            return True  # asked with the object, once it is fetched or built
        return allows(rule, request.user, None)

    def has_object_permission(self, request, view, obj) -> bool:
        rule = rule_for(view)
        self.message = refusal(rule)
        if rule is None:
            return False
        rule_object = view.rule_object(obj) if hasattr(view, "rule_object") else obj
        return allows(rule, request.user, rule_object)
