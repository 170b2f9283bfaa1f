"""The goals app's pages, one module per idea. They sit above the three sub-packages because the
pages are where the ideas meet: a goal's page shows its indicators and its follow-ups."""
