from django.apps import AppConfig
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(*, using: str, **kwargs) -> None:
    """The shared cache's table (settings.CACHES), made by every `migrate` if it is missing, so
    that no deployment step can forget it: each instance of the portal reads the same cache."""
    call_command("createcachetable", database=using, verbosity=0)


def forget_cached_pages(**kwargs) -> None:
    """A new generation of the whole-group pages at every `migrate`, so that a release never reads
    what an older version of the portal cached, in a shape its code may no longer read."""
    from orgunits.page_cache import invalidate_whole_group_pages

    invalidate_whole_group_pages()


class OrgUnitsConfig(AppConfig):
    name = "orgunits"
    verbose_name = _("Organisation")

    def ready(self):
        # Once per migrate: the signal is sent for every app, this receiver listens to one.
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="orgunits.create_cache_table")
        post_migrate.connect(forget_cached_pages, sender=self, dispatch_uid="orgunits.forget_cached_pages")
        # The whole-group pages' cache forgets on every write to the group's data (orgunits.page_cache).
        from orgunits.page_cache import watch_writes

        connection_created.connect(watch_writes, dispatch_uid="orgunits.page_cache.watch_writes")
