"""Signing in: through the organisation's OpenID provider (single sign-on), or with a local account's
password where that is switched on. docs/sign-in.md says how to set it up."""
