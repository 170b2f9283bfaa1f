"""The portal's users, for staff: who they are, whether they may sign in, and how they sign in.

A user is addressed by their user name, as a membership, a goal's owner and every other field that
names a person does. No password ever passes through the API: a user made here has none that works,
and signs in through single sign-on (or an administrator sets a password in the admin). A user who
will sign in through the organisation's identity provider can be made before their first sign-in,
named by the provider's subject id for them (and its issuer, by default the one the portal signs
in with): their first sign-in then finds this user (``signin.identities.user_from_claims``), and
memberships can name them by user name at once.

Nobody is deleted: a user who leaves is deactivated, keeping their history and memberships, and can
no longer sign in or use a token. Whether a user is staff is for superusers to change, as is any
superuser's account: staff cannot make themselves or others more than they are.

A list costs the same queries at any size: the count and the page, each user with their identity.
"""

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import reads, writes
from api.schema import changes, summaries
from api.viewsets import ReadWriteViewSet
from signin.models import OidcIdentity

User = get_user_model()


def users_with_identity() -> QuerySet:
    """Users with their single sign-on identity (if any), in one query."""
    return User.objects.select_related("oidc_identity").order_by("username")


class UserSerializer(serializers.ModelSerializer):
    """A user of the portal. ``is_staff`` is changed by superusers only; a deactivated user keeps
    their history and memberships but can no longer sign in."""

    subject = serializers.CharField(
        source="oidc_identity.subject",
        read_only=True,
        allow_null=True,
        help_text="The identity provider's subject id for the user (the `sub` claim); null for a local account.",
    )
    issuer = serializers.CharField(
        source="oidc_identity.issuer",
        read_only=True,
        allow_null=True,
        help_text="The identity provider that vouches for the subject id; null for a local account.",
    )
    last_sign_in = serializers.DateTimeField(
        source="oidc_identity.last_sign_in",
        read_only=True,
        allow_null=True,
        help_text="The last sign-in through single sign-on; null before the first.",
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "is_staff",
            "subject",
            "issuer",
            "last_sign_in",
            "date_joined",
        ]
        read_only_fields = ["username", "date_joined"]

    def validate(self, attrs):
        caller = self.context["request"].user
        if not caller.is_superuser:
            account = self.instance
            if account is not None and account.is_superuser:
                raise exceptions.PermissionDenied(
                    gettext("Only a superuser may change a superuser's account.")
                )
            current = account.is_staff if account is not None else False
            if attrs.get("is_staff", current) != current:
                raise exceptions.PermissionDenied(gettext("Only a superuser may decide who is staff."))
        if self.instance is not None and self.instance == caller:
            # Whoever manages users keeps the rights to undo what they did.
            if attrs.get("is_active") is False:
                raise serializers.ValidationError({"is_active": [gettext("You cannot deactivate yourself.")]})
            if attrs.get("is_staff") is False:
                raise serializers.ValidationError(
                    {"is_staff": [gettext("You cannot take away your own administration rights.")]}
                )
        return attrs

    def update(self, instance, validated_data):
        # Only the fields sent: a sign-in meanwhile writes last_login, which a whole save would undo.
        for name, value in validated_data.items():
            setattr(instance, name, value)
        if validated_data:
            instance.save(update_fields=list(validated_data))
        return instance


class NewUserSerializer(UserSerializer):
    """A new user, with no usable password: named by the identity provider's subject id, they are
    the user their first sign-in through single sign-on finds."""

    subject = serializers.CharField(
        required=False,
        max_length=255,
        help_text="The identity provider's subject id for the user (the `sub` claim, not the e-mail "
        "address), for a user who will sign in through single sign-on.",
    )
    issuer = serializers.CharField(
        required=False,
        max_length=255,
        help_text="The identity provider's issuer, exactly as its discovery document names it; by "
        "default the one the portal signs in with.",
    )

    class Meta(UserSerializer.Meta):
        read_only_fields = ["date_joined"]
        extra_kwargs = {"username": {"help_text": "The user name: stable, how the API names the user."}}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "subject" in attrs:
            attrs["issuer"] = attrs.get("issuer") or settings.OIDC_ISSUER
            if not attrs["issuer"]:
                raise serializers.ValidationError(
                    {"issuer": [gettext("Name the issuer: single sign-on has no issuer set up here.")]}
                )
            self.check_subject_free(attrs["issuer"], attrs["subject"])
        elif "issuer" in attrs:
            raise serializers.ValidationError({"subject": [gettext("An issuer needs a subject id.")]})
        return attrs

    def check_subject_free(self, issuer: str, subject: str) -> None:
        holder = OidcIdentity.objects.filter(issuer=issuer, subject=subject).select_related("user").first()
        if holder is not None:
            raise serializers.ValidationError(
                {
                    "subject": [
                        gettext("This subject id already belongs to %(user)s.")
                        % {"user": holder.user.username}
                    ]
                }
            )

    def create(self, validated_data):
        subject = validated_data.pop("subject", None)
        issuer = validated_data.pop("issuer", None)
        username = validated_data.pop("username")
        try:
            # A savepoint: a user name or subject id taken by a write that came first is a 400.
            with transaction.atomic():
                user = User.objects.create_user(username, password=None, **validated_data)
                if subject is not None:
                    OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        except IntegrityError as error:
            if User.objects.filter(username=username).exists():
                raise serializers.ValidationError(
                    {"username": [gettext("A user with that username already exists.")]}
                ) from error
            self.check_subject_free(issuer, subject)
            raise
        return user


class UserFilter(filters.FilterSet):
    search = filters.CharFilter(
        method="filter_search",
        help_text="Only the users whose user name, name or e-mail address contains each of these words.",
    )
    active = filters.BooleanFilter(
        field_name="is_active", help_text="Only active (true) or deactivated (false) users."
    )

    class Meta:
        model = User
        fields = ["search", "active"]

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset


@summaries(
    list="The portal's users (staff)",
    create="Add a user, without a password (staff)",
    **changes("a user", by="staff"),
)
class UserViewSet(ReadWriteViewSet):
    """The portal's users: staff list, add, change and deactivate them; no one is deleted."""

    action_rules = {**reads(rules.is_staff), **writes(rules.is_staff), "deactivate": rules.is_staff}
    lookup_field = "username"
    serializer_class = UserSerializer
    create_serializer_class = NewUserSerializer
    filterset_class = UserFilter

    def get_queryset(self):
        return users_with_identity()

    def new_object(self, serializer):
        return User(username=serializer.validated_data.get("username", ""))

    def user(self, user, code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=user.pk)
        return Response(UserSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.user(serializer.instance, 201)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, username=None):
        """Deactivate the user (staff): they keep their history and memberships, and can no longer
        sign in or use a token. ``PATCH`` with ``is_active`` true makes them active again."""
        account = self.get_object()
        serializer = self.get_serializer(account, data={"is_active": False}, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            User.objects.filter(pk=account.pk).update(is_active=False)
        return self.user(account)
