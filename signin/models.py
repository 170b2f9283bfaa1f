from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OidcIdentity(models.Model):
    """Who a portal user is at an OpenID provider: the provider's subject id for them (the `sub`
    claim). That id, not the e-mail address, is the key: an address changes with a name or a
    job and can later be given to someone else, while the subject id stays with the person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_identity",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject id"), max_length=255)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_sign_in = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_subject_id"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"
