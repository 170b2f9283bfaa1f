"""Search: one ranked list of the goals, units, processes, target groups and indicators whose words
match, for the page ``/search/`` and the API lists' ``?search=`` (``queries.py``);
``docs/search.md`` explains how it matches, ranks and marks the words."""
