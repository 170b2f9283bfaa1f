from django.utils.text import slugify


def unique_slug(instance, name: str, *, fallback: str) -> str:
    """A slug made from ``name`` that no other row of the instance's model has: ``name``, then
    ``name-2``, ``name-3`` and so on (one query)."""
    base = slugify(name)[:90] or fallback
    others = type(instance).objects.filter(slug__startswith=base).exclude(pk=instance.pk)
    taken = set(others.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
