"""Page addresses built around a value from one ``reverse``.

The pages that list a hundred goals, units or indicators link each of them, and ``reverse`` costs
about ten times joining three strings: ``address_around`` reverses an address once, with a stand-in
for the value that changes from row to row, and gives what stands before and after it.
"""

from __future__ import annotations

import functools

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

# A value of each kind that no address holds elsewhere, to reverse an address around.
STAND_INS = {"pk": "9876543210", "slug": "stand-in-slug"}


def address_around(viewname: str, around: str, **kwargs) -> tuple[str, str]:
    """What stands before and after the value of ``around`` ("pk" or "slug") in the address of the
    page ``viewname`` with the other ``kwargs``, for the URL configuration and script prefix in
    force: the address is ``start + str(value) + end``. A pk or a slug is digits, letters, "-" and
    "_" (the URLs' converters), which an address keeps as they are."""
    return _address_around(
        viewname, around, tuple(sorted(kwargs.items())), get_resolver(get_urlconf()), get_script_prefix()
    )


@functools.lru_cache(maxsize=256)
def _address_around(
    viewname: str, around: str, kwargs: tuple, resolver, script_prefix: str
) -> tuple[str, str]:
    # Keyed by what ``reverse`` reads: the resolver (``clear_url_caches`` makes a new one) and the
    # script prefix, which is the active one here. The addresses carry no language.
    stand_in = STAND_INS[around]
    address = reverse(viewname, urlconf=resolver.urlconf_name, kwargs={around: stand_in, **dict(kwargs)})
    start, _stand_in, end = address.rpartition(stand_in)
    return start, end
