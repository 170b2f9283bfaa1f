"""The schema is the same whatever language the request asks for: clients are generated from it,
and generated code must not change with the language of whoever downloaded the schema."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import trans_real
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# drf-spectacular writes each choice of an enum into its description as "* `value` - Label".
ENUM_LABEL = re.compile(r"^\s*\* `[^`]*` - (.+)$", re.MULTILINE)


def swedish_translations() -> set[str]:
    """Every Swedish text of the portal's catalogue (Django's and the REST framework's included)
    that differs from its English original, and is no English original itself (the admin's "Site
    administration" is "Administration" in Swedish, the English label of an administration)."""
    catalog = trans_real.translation("sv")._catalog
    originals = {key for key, _text in catalog.items() if isinstance(key, str)}
    return {
        text
        for key, text in catalog.items()
        if isinstance(key, str) and isinstance(text, str) and text and text != key and text not in originals
    }


def texts(value):
    """Every string in the schema, with each enum's labels apart from its description."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from texts(inner)
    elif isinstance(value, str):
        yield value
        yield from ENUM_LABEL.findall(value)


@pytest.mark.parametrize("params", [{}, {"format": "json"}], ids=["yaml", "json"])
def test_the_schema_is_the_same_bytes_in_swedish_and_in_english(params):
    swedish = APIClient(HTTP_ACCEPT_LANGUAGE="sv").get(reverse("api:schema"), params)
    english = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(reverse("api:schema"), params)
    assert swedish.status_code == english.status_code == 200
    assert swedish.content == english.content


def test_the_schema_ignores_drf_spectaculars_lang_parameter_too():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert (
        client.get(reverse("api:schema"), {"lang": "sv"}).content == client.get(reverse("api:schema")).content
    )


def test_a_swedish_request_reads_the_schemas_texts_in_english():
    schema = APIClient(HTTP_ACCEPT_LANGUAGE="sv").get(reverse("api:schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    # A help text, an enum's labels and a field's title, each in the code's English.
    assert components["FollowUp"]["properties"]["commentary"]["description"] == (
        "What was done, and why the grade is what it is."
    )
    assert "* `interim` - Interim report" in components["ReportingPeriodKindEnum"]["description"]
    assert components["FollowUp"]["properties"]["return_comment"]["title"] == "Why it was sent back"
    # A field whose English title is its name carries none, rather than a Swedish one.
    assert "title" not in components["Goal"]["properties"]["title"]
    leaked = swedish_translations() & set(texts(schema))
    assert leaked == set()
    assert not re.search("[åäöÅÄÖ]", str(schema))


@pytest.mark.parametrize("lang", [[], ["--lang", "sv"]], ids=["default", "swedish"])
def test_the_schema_written_by_the_command_is_the_one_served(tmp_path, lang):
    # ``manage.py spectacular`` runs in the portal's default language, Swedish, unless told.
    call_command("spectacular", "--file", str(tmp_path / "schema.yaml"), *lang)
    served = APIClient(HTTP_ACCEPT_LANGUAGE="sv").get(reverse("api:schema")).content
    assert (tmp_path / "schema.yaml").read_bytes() == served
