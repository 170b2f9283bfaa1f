"""The API's pages: 50 rows to a page, up to 500 at a client's request."""

from django import forms
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, pagination

from api.filters import ID_MAX, WholeNumberField


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 50 (``PAGE_SIZE``); a client may ask for up to 500 with ``?page_size=``.

    A page size that is not a whole number from 1 (``null``, ``0.5``, ``0``) is a 400 that says so,
    rather than quietly giving the default; a larger one than 500 gives pages of 500.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    page_size_field = WholeNumberField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        message=gettext_lazy("The page size is a whole number from 1; more than 500 gives pages of 500."),
    )

    def get_page_size(self, request):
        try:
            asked = self.page_size_field.clean(request.query_params.get(self.page_size_query_param))
        except forms.ValidationError as error:
            raise exceptions.ValidationError({self.page_size_query_param: error.messages}) from error
        return self.page_size if asked is None else min(asked, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"How many rows a page holds: {self.page_size} unless asked, at most {self.max_page_size} "
                    "(more gives that many)."
                )
        return parameters
