"""Who may do what to processes, as django-rules predicates (see ``orgunits.rules``)."""

import rules


@rules.predicate
def owns_process(user, process) -> bool:
    return process is not None and user.is_authenticated and process.owner_id == user.pk


rules.add_perm("processes.edit_process", rules.is_staff | owns_process)
