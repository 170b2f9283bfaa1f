"""The settings of a test instance (``tests.kit.instances``): production's, read from the same
environment, but for two things the test suite needs.

- The static files are hashed but not compressed: compressing them (gzip and brotli, WhiteNoise's
  storage) takes collectstatic more than a minute, and how files are compressed is not what running
  two instances tests (the production settings' own tests cover it).
- The passwords of the test users, hashed by the suite's fast hasher
  (``tests.kit.people.fast_password_hashing``), are checked too; new ones are hashed as in production.
"""

from django.conf import global_settings

from styrmodell.settings import *  # noqa: F403
from styrmodell.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
