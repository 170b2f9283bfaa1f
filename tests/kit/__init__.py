"""The test kit: everything a test needs to build its world and ask who may do what.

Its modules are loaded as pytest plugins (``pytest_plugins`` in ``tests/conftest.py``), so their
fixtures are there in every test module without an import; plain helpers are imported from
``tests.kit.<module>``, never from another test module. ``tests/README.md`` shows how to write a
test with them.

- ``tests.kit.organisation``: ``add_unit``, ``Group`` (fixture ``group``), ``build_group``.
- ``tests.kit.people``: ``member_of``, the fixed cast (``CAST``, ``EVERYONE``, ``SIGNED_IN``,
  ``build_cast``, fixture ``cast``), fixture ``group_manager``.
- ``tests.kit.chain``: ``add_goal``, ``Chain`` (fixtures ``chain``, ``draft_chain``),
  ``grow_chain``, fixture ``this_year``.
- ``tests.kit.worlds``: the worlds the matrices act on (``World``, ``goals_world``, ...) and ``Scene``.
- ``tests.kit.clients``: fixtures ``english``, ``admin``, ``api``; ``client_for``, ``token_client``.
- ``tests.kit.web_matrix``, ``tests.kit.api_matrix``: the permission matrices' rows and outcomes.
- ``tests.kit.once``: build a world once per class and roll back each test (fixture ``class_db``,
  ``fresh``).
- ``tests.kit.measurement_files``: measurement files and a staged import preview.
- ``tests.kit.demo_snapshot``: the demo seeded once and loaded again per browser test.

A user who manages the administration, and a chain of goals through it::

    def test_it(client, group, chain):
        client.force_login(member_of(group.administration, "karin"))
        response = client.get(chain.operational.get_absolute_url())
"""
