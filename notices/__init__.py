"""Notices and reminders by e-mail: the events the workflow stores, each person's choice of how to
hear of them, and ``manage.py send_notifications``, which sends them outside any request."""
