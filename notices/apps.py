from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from goals import signals
        from notices import receivers

        signals.goal_step_taken.connect(receivers.goal_step_taken, dispatch_uid="notices.goal_step_taken")
        signals.follow_up_step_taken.connect(
            receivers.follow_up_step_taken, dispatch_uid="notices.follow_up_step_taken"
        )
