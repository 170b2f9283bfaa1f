"""What the admin's tree forms post, and the rule messages they answer with.

- ``goal_admin_form(goal=None, **changes)``: the goal admin's fields, copied from ``goal`` (empty
  without one), placed first under ``treebeard_ref_node``, with ``changes`` over them.
- ``unit_admin_form(unit=None, **changes)``: the same for a unit, its memberships inline left empty;
  a change to None leaves that field out of the post.
- ``admin_form_errors(response)``: the messages the admin's form shows above its fields.
- ``drag_under(client, node, target)``: drop ``node`` under ``target`` in the admin's tree view.
"""

# Where treebeard's admin form places a node: first under the node named in ``treebeard_ref_node``
# (at the top where that is empty).
PLACEMENT = {"treebeard_position": "first-child", "treebeard_ref_node": ""}


def goal_admin_form(goal=None, **changes) -> dict:
    data = {
        "title": goal.title if goal else "",
        "description": "",
        "level": goal.level if goal else "",
        "org_unit": goal.org_unit_id if goal else "",
        "period": goal.period_id if goal else "",
        "owner": "",
        "start_date": "",
        "due_date": "",
        "progress": "",
        **PLACEMENT,
    }
    return data | changes


def unit_admin_form(unit=None, **changes) -> dict:
    data = {
        "name": unit.name if unit else "",
        "short_name": unit.short_name if unit else "",
        "slug": unit.slug if unit else "",
        "kind": unit.kind if unit else "",
        "description": unit.description if unit else "",
        "is_active": "on" if unit is None or unit.is_active else "",
        **PLACEMENT,
        # The memberships inline, left empty.
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


def admin_form_errors(response) -> list[str]:
    return response.context["adminform"].form.non_field_errors()


def drag_under(client, node, target):
    """What treebeard's changelist posts when ``node`` is dragged and dropped under ``target``."""
    meta = type(node)._meta
    return client.post(
        f"/admin/{meta.app_label}/{meta.model_name}/move/",
        {"node": node.pk, "target": target.pk, "relation": "child"},
    )
