"""django-axes, which guards the password sign-in, in the portal's languages.

Axes ships no Swedish catalogue, so its admin section (the app's name, its models, their fields)
showed in English to Swedish administrators. The app gets a name of ours here, and its texts are
marked below so that our own catalogue carries their Swedish (Django looks up every text in the
project's catalogue first, whichever package it comes from).
"""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AxesConfig(AppConfig):
    verbose_name = _("Sign-in protection")


# The texts of axes's models and admin (axes/models.py, axes/admin.py, version pinned in
# pyproject.toml), for makemessages to find; Django translates them where axes shows them.
AXES_TEXTS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
)
