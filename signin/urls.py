from django.urls import path

from signin import views

# Without a namespace: "login" and "logout" are the names Django and the templates use, and
# mozilla-django-oidc reverses "oidc_authentication_callback" for the redirect URI.
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("oidc/start/", views.ProviderSignInView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views.ProviderCallbackView.as_view(), name="oidc_authentication_callback"),
]
