import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from goals.indicators.kolada import (
    KPI_ID,
    MUNICIPALITY_CODE,
    KoladaError,
    kolada_import,
    kolada_import_reply,
    summary_of,
)


class Command(BaseCommand):
    help = (
        "Import key figures' values from Kolada as the yearly values of the indicators from Kolada "
        "that name them. Running it again with the same values changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kpi", default="", help="Key figure ids, comma-separated: N00914,N00945.")
        parser.add_argument(
            "--municipality",
            default=settings.KOLADA_MUNICIPALITY,
            help="The municipality's four-digit code (default %(default)s).",
        )
        parser.add_argument("--years", default="", help="Years, comma-separated: 2022,2023.")
        parser.add_argument(
            "--file",
            type=Path,
            help="Import a reply of Kolada's saved as JSON instead of asking Kolada; "
            "then --kpi and --years, when given, choose which of its values to import.",
        )

    def handle(self, *args, kpi, municipality, years, file, **options):
        kpis = _split(kpi)
        for item in kpis:
            if not KPI_ID.match(item):
                raise CommandError(f"{item}: " + gettext("A Kolada key figure id is N or U and five digits."))
        year_list = []
        for item in _split(years):
            if not (item.isascii() and item.isdigit()):
                raise CommandError(
                    gettext("A year is a number such as 2023, not “%(year)s”.") % {"year": item}
                )
            year_list.append(int(item))
        if not MUNICIPALITY_CODE.match(municipality):
            raise CommandError(
                gettext("A municipality code is four digits, such as 0780, not “%(code)s”.")
                % {"code": municipality}
            )
        try:
            if file is None:
                if not kpis or not year_list:
                    raise CommandError(
                        gettext("Give the key figures (--kpi) and the years (--years), or a --file.")
                    )
                batch = kolada_import(kpis=kpis, municipality=municipality, years=year_list, by=None)
            else:
                batch = kolada_import_reply(
                    reply=_load(file),
                    municipality=municipality,
                    kpis=kpis or None,
                    years=year_list or None,
                    by=None,
                    name=file.name,
                )
        except KoladaError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{batch.description}: {summary_of(batch)}"))
        for note in batch.notes.splitlines():
            self.stdout.write(f"  {note}")


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _load(file: Path) -> dict:
    try:
        with file.open(encoding="utf-8") as reply:
            return json.load(reply, parse_float=Decimal)
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            gettext("%(file)s cannot be read: %(error)s") % {"file": file, "error": error}
        ) from error
    except ValueError as error:
        raise CommandError(
            gettext("%(file)s is not JSON: %(error)s") % {"file": file, "error": error}
        ) from error
