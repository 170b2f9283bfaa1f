import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.scale import ScaleError, seed_scale


class Command(BaseCommand):
    help = (
        "Fill an empty database with a large generated municipal group for measuring speed: units, "
        "the steering chains of several years (the earlier years closed, their goals archived and "
        "followed up in all three reports; this year's decided and followed up in the four-month "
        "report), processes, indicators and measurements. The same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=2000, help="Organisation units (default 2000).")
        parser.add_argument(
            "--goals",
            type=int,
            default=20000,
            help="Goals, activities included, over all the years together (default 20000).",
        )
        parser.add_argument("--indicators", type=int, default=2000, help="Indicators (default 2000).")
        parser.add_argument("--measurements", type=int, default=200000, help="Measurements (default 200000).")
        parser.add_argument("--processes", type=int, default=40, help="Processes (default 40).")
        parser.add_argument("--seed", type=int, default=1, help="The random seed (default 1).")
        parser.add_argument(
            "--year", type=int, default=None, help="The latest, open year's chain (default this year)."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=4,
            help="Years of steering chains up to --year, each with its share of the goals (default 4; "
            "1 gives a single year's chain).",
        )

    def handle(self, *args, units, goals, indicators, measurements, processes, seed, year, years, **options):
        year = year or timezone.localdate().year
        started = time.perf_counter()
        try:
            made = seed_scale(
                units=units,
                goals=goals,
                indicators=indicators,
                measurements=measurements,
                processes=processes,
                seed=seed,
                year=year,
                years=years,
            )
        except ScaleError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        years_seeded = str(year) if years == 1 else f"{year - years + 1}–{year}"
        for what, count in made.items():
            self.stdout.write(f"{count:>9}  {what}")
        self.stdout.write(self.style.SUCCESS(f"Seeded {years_seeded} with seed {seed} in {seconds:.1f} s."))
