"""The fixtures of tests/operations (``second_server``) live in ``tests.operations.servers``, with
the helpers the tests import."""

from tests.operations.servers import second_server  # noqa: F401
