"""The demo indicators: the key figures that measure Sjöstad's goals, with their targets and values.

Every series is written relative to the current year Y, so the demo looks the same whichever year it
is seeded in: the baseline is Y-4's value, the targets are those of Y-3 to Y, the whole-year values
those of Y-4 to Y-1, and indicators measured during the year also have values for the four-month
and interim reports of Y-1 and Y. The trends differ on purpose: some reach their targets, some
improve but fall short, some get worse. The follow-up texts in ``demo.follow_ups`` describe these
very numbers, so change both together.

The Kolada key figure ids are examples in Kolada's format, not checked against Kolada.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from goals.indicators.models import Direction
from goals.models import Gender, IndicatorSource, ReportingPeriodKind

T1, INTERIM = ReportingPeriodKind.FOUR_MONTHS, ReportingPeriodKind.INTERIM

Number = int | float | None


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    unit_of_measure: str
    goals: tuple[str, ...]  # the titles of the goals it measures, in every demo year
    # Whole-year totals of Y-4 to Y-1 (None: not measured that year); Y-4's is the baseline.
    values: tuple[Number, Number, Number, Number]
    targets: tuple[Number, Number, Number, Number]  # Y-3 to Y
    description: str = ""
    direction: Direction = Direction.HIGHER
    decimals: int = 0
    source: IndicatorSource = IndicatorSource.MANUAL
    kolada_kpi: str = ""
    # Whole-year values of Y-4 to Y-1 for women and for men, where the figure is split by gender.
    women: tuple[Number, ...] = ()
    men: tuple[Number, ...] = ()
    # The four-month and interim reports' totals of Y-1 and of Y, where measured during the year.
    last_year: tuple[Number, Number] = (None, None)
    this_year: tuple[Number, Number] = (None, None)

    def baseline(self, year: int) -> tuple[int, Decimal]:
        return year - 4, _decimal(self.values[0])

    def target_values(self, year: int) -> dict[int, Decimal]:
        return _present(dict(zip(range(year - 3, year + 1), self.targets, strict=True)))

    def measured_values(self, year: int) -> dict[tuple[int, str | None, str], Decimal]:
        """Every value, by (year, reporting-period kind or None for the whole year, gender)."""
        values = {}
        for gender, series in (
            (Gender.TOTAL, self.values),
            (Gender.WOMEN, self.women),
            (Gender.MEN, self.men),
        ):
            for offset, value in enumerate(series):
                values[year - 4 + offset, None, gender] = value
        for period_year, series in ((year - 1, self.last_year), (year, self.this_year)):
            for kind, value in zip((T1, INTERIM), series, strict=True):
                values[period_year, kind, Gender.TOTAL] = value
        return _present(values)


def is_election_year(year: int) -> bool:
    """Sweden elects its parliament, regions and municipal councils on one day in September every
    four years: 2018, 2022, 2026 and so on."""
    return year % 4 == 2


def next_election(year: int) -> int:
    """The year of the first election in ``year`` or after it."""
    return year + (2 - year) % 4


@dataclass(frozen=True)
class DemoElectionIndicator(DemoIndicator):
    """A figure measured only at elections: values and targets belong to election years, whichever
    years the demo's window holds. ``values`` are the turnouts of the last two elections up to Y-4
    and of the next one, which is reported only once it has been held (in Y-1 or earlier);
    ``targets`` holds that next election's target first."""

    def baseline(self, year: int) -> tuple[int, Decimal]:
        return self._elections(year)[1], _decimal(self.values[1])

    def target_values(self, year: int) -> dict[int, Decimal]:
        return {self._elections(year)[2]: _decimal(self.targets[0])}

    def measured_values(self, year: int) -> dict[tuple[int, str | None, str], Decimal]:
        return {
            (election, None, Gender.TOTAL): _decimal(value)
            for election, value in zip(self._elections(year), self.values, strict=False)
            if election < year
        }

    @staticmethod
    def _elections(year: int) -> tuple[int, int, int]:
        baseline = next_election(year - 7)  # the last election up to Y-4
        return baseline - 4, baseline, baseline + 4


def _decimal(value: Number) -> Decimal:
    return Decimal(str(value))


def _present(values: dict) -> dict:
    return {key: _decimal(value) for key, value in values.items() if value is not None}


Figure = DemoIndicator
KOLADA, SURVEY = IndicatorSource.KOLADA, IndicatorSource.SURVEY
LOWER = Direction.LOWER

INDICATORS = (
    # Lärande
    Figure(
        "UF-NP3-SV",
        "Andel elever i åk 3 som klarar nationella proven i svenska",
        "%",
        ("Tidiga insatser i läsning och matematik", "Läsfrämjande arbete i alla grundskolor"),
        values=(71.8, 73.4, 75.9, 77.6),
        targets=(73.0, 75.0, 77.0, 79.0),
        women=(75.1, 76.2, 78.8, 80.1),
        men=(68.6, 70.7, 73.1, 75.2),
        last_year=(None, 77.6),
        this_year=(None, 79.4),
        description="Andel av eleverna i årskurs 3 som klarat alla delprov i svenska och svenska som "
        "andraspråk. Resultaten kommer i juni och redovisas från delårsrapporten.",
        decimals=1,
        source=KOLADA,
        kolada_kpi="N15482",
    ),
    Figure(
        "VS-LAS-01",
        "Andel elever i åk 3 på Västra skolan som läser med flyt",
        "%",
        ("Alla elever i årskurs 3 läser med flyt",),
        values=(68, 73, 75, 81),
        targets=(72, 76, 80, 85),
        last_year=(76, 79),
        this_year=(80, 84),
        description="Bedöms med Skolverkets bedömningsstöd i läsförståelse i april, juni och december; "
        "helårsvärdet är decembermätningens.",
    ),
    Figure(
        "UF-FSK-01",
        "Andel förskolegrupper som arbetar efter en plan för språkutveckling",
        "%",
        ("Alla förskolor arbetar systematiskt med språkutveckling",),
        values=(35, 52, 63, 78),
        targets=(50, 65, 80, 95),
        last_year=(70, 74),
        this_year=(84, 90),
        description="Andel av förskolornas barngrupper som har en dokumenterad plan för språkutveckling "
        "som följs upp varje termin.",
    ),
    # Omsorg och stöd
    Figure(
        "OF-HT-01",
        "Antal olika personal som en hemtjänsttagare möter under 14 dagar",
        "antal",
        ("Brukarna möter färre olika personal i hemtjänsten",),
        values=(17, 16, 15, 14),
        targets=(16, 15, 13, 12),
        last_year=(15, 14),
        this_year=(13, 12),
        description="Medianvärdet för hemtjänsttagare över 65 år med minst två besök om dagen.",
        direction=LOWER,
        source=KOLADA,
        kolada_kpi="U21468",
    ),
    Figure(
        "OF-VOB-01",
        "Andel boende på vård- och omsorgsboende med en aktuell genomförandeplan",
        "%",
        ("Varje boende har en egen plan för sin vardag",),
        values=(71, 78, 86, 92),
        targets=(80, 85, 90, 95),
        last_year=(88, 90),
        this_year=(93, 96),
        description="En plan är aktuell när den följts upp med den boende de senaste sex månaderna.",
    ),
    Figure(
        "OF-DV-01",
        "Andel deltagare i daglig verksamhet med praktik eller anställning",
        "%",
        ("Fler går från daglig verksamhet till arbete",),
        values=(9.5, 10.8, 11.6, 10.2),
        targets=(11.0, 12.0, 13.0, 14.0),
        women=(8.1, 9.6, 10.2, 9.4),
        men=(10.6, 11.8, 12.7, 10.9),
        last_year=(11.0, 10.5),
        this_year=(10.4, 11.3),
        description="Praktik eller anställning på den öppna arbetsmarknaden, vid mätperiodens slut.",
        decimals=1,
    ),
    # Arbete och företagande
    Figure(
        "FAV-AM-01",
        "Andel deltagare i arbetsmarknadsinsatser som gått vidare till arbete eller studier",
        "%",
        ("Fler deltagare går från försörjningsstöd till arbete eller studier",),
        values=(31.0, 33.4, 34.1, 36.2),
        targets=(33.0, 35.0, 37.0, 39.0),
        women=(29.8, 32.0, 33.5, 35.9),
        men=(32.1, 34.6, 34.7, 36.5),
        last_year=(34.0, 35.5),
        this_year=(37.4, 39.3),
        description="Andel av deltagarna som avslutat en insats och 90 dagar senare arbetar eller studerar.",
        decimals=1,
        source=KOLADA,
        kolada_kpi="N00432",
    ),
    Figure(
        "NAV-EB-01",
        "Andel hushåll med långvarigt ekonomiskt bistånd",
        "%",
        ("Fler hushåll blir självförsörjande",),
        values=(2.4, 2.2, 2.1, 2.3),
        targets=(2.3, 2.2, 2.1, 2.0),
        last_year=(2.2, 2.3),
        this_year=(2.4, 2.3),
        description="Hushåll som fått ekonomiskt bistånd i minst tio av årets tolv månader, som andel "
        "av alla hushåll i kommunen.",
        direction=LOWER,
        decimals=1,
        source=KOLADA,
        kolada_kpi="N31816",
    ),
    Figure(
        "NAV-EB-02",
        "Utbetalt ekonomiskt bistånd per invånare",
        "kr",
        ("Fler hushåll blir självförsörjande",),
        values=(1540, 1498, 1486, 1562),
        targets=(1500, 1470, 1440, 1420),
        direction=LOWER,
        source=KOLADA,
        kolada_kpi="N31807",
    ),
    Figure(
        "KLF-PR-01",
        "Antal praktik- och traineeplatser i kommunens verksamheter",
        "antal",
        ("Fler praktik- och traineeplatser i kommunens verksamheter",),
        values=(118, 127, 151, 157),
        targets=(130, 145, 160, 175),
        description="Platser som använts under året, för praktikanter från Arbetsförmedlingen, "
        "vuxenutbildningen och högskolan samt traineer.",
    ),
    Figure(
        "SSP-NF-01",
        "Antal nystartade företag per 1 000 invånare",
        "antal",
        ("Fler nya företag startar och växer i Sjöstad",),
        values=(4.1, 4.4, 4.6, 4.3),
        targets=(4.3, 4.5, 4.7, 4.9),
        decimals=1,
        source=KOLADA,
        kolada_kpi="N00999",
    ),
    # Boende och livsmiljö
    Figure(
        "BN-BL-01",
        "Handläggningstid för bygglov från komplett ansökan till beslut (median)",
        "dagar",
        ("Bygglov handläggs snabbt och förutsägbart",),
        values=(44, 38, 33, 29),
        targets=(40, 35, 30, 28),
        last_year=(31, 30),
        this_year=(27, 26),
        description="Kalenderdagar, för ärenden som avgjorts under perioden.",
        direction=LOWER,
    ),
    Figure(
        "SB-NP-01",
        "Antal nya hyresrätter som Sjöstadsbostäder färdigställt",
        "antal",
        ("400 nya hyresrätter under mandatperioden",),
        values=(64, 92, 118, 71),
        targets=(100, 100, 100, 100),
        description="Lägenheter med slutbesked under året.",
    ),
    Figure(
        "SB-NKI-01",
        "Andel hyresgäster i förvaltningsområde centrum som är nöjda med sitt boende",
        "%",
        ("Nöjdare hyresgäster i centrum",),
        # The customer survey is made every other year, so the years between have no value or target.
        values=(76, None, 79, None),
        targets=(None, 79, None, 81),
        description="Ur Sjöstadsbostäders kundundersökning, som görs vartannat år på hösten.",
        source=SURVEY,
    ),
    # Kultur och fritid
    Figure(
        "KFF-FR-01",
        "Antal stadsdelar med öppen hall eller spontanidrott minst en kväll i veckan",
        "antal",
        ("Öppna hallar och spontanidrott i alla stadsdelar",),
        values=(2, 3, 3, 5),
        targets=(3, 4, 5, 6),
        last_year=(4, 5),
        this_year=(5, 5),
        description="Sjöstad har sex stadsdelar.",
    ),
    Figure(
        "KFF-BI-01",
        "Öppettimmar per vecka på Stadsbiblioteket, meröppet inräknat",
        "timmar",
        ("Längre öppettider på biblioteken",),
        values=(45, 49, 56, 78),
        targets=(50, 55, 70, 80),
        last_year=(62, 78),
        this_year=(78, 82),
    ),
    DemoElectionIndicator(
        "VN-VD-01",
        "Valdeltagande i kommunvalet",
        "%",
        ("Valdeltagandet ökar i alla valdistrikt",),
        values=(79.8, 81.6, 84.3, None),
        targets=(84.0, None, None, None),
        description="Andel av de röstberättigade som röstade i valet till kommunfullmäktige. Mäts bara valår.",
        decimals=1,
        source=KOLADA,
        kolada_kpi="N05401",
    ),
    # Trygghet och säkerhet
    Figure(
        "RSB-BB-01",
        "Antal bostadsbränder per 10 000 invånare",
        "antal",
        ("Färre bränder i bostäder",),
        values=(8.6, 7.9, 8.1, 7.6),
        targets=(8.2, 7.8, 7.4, 7.0),
        description="Bränder i bostäder som räddningstjänsten larmats till, i Sjöstad och Norrby.",
        direction=LOWER,
        decimals=1,
        source=KOLADA,
        kolada_kpi="N07530",
    ),
    Figure(
        "RSB-BV-01",
        "Andel besökta bostäder med fungerande brandvarnare",
        "%",
        ("Fler bostäder har fungerande brandvarnare",),
        values=(86.0, 88.4, 90.7, 92.6),
        targets=(88.0, 90.0, 92.0, 94.0),
        last_year=(91.0, 92.1),
        this_year=(93.0, 93.5),
        description="Vid räddningstjänstens hembesök, där brandvarnaren provas.",
        decimals=1,
    ),
    Figure(
        "RSB-UT-01",
        "Andel skolor, förskolor och boenden vars personal gått brandskyddsutbildning",
        "%",
        ("Brandskyddsutbildning i skolor, förskolor och boenden",),
        values=(55, 66, 77, 88),
        targets=(65, 75, 85, 90),
        last_year=(80, 84),
        this_year=(89, 91),
        description="Verksamheter där all personal utbildats de senaste tre åren.",
    ),
    Figure(
        "RSB-UT-02",
        "Tid för utrymning vid övning i grundskolorna (median)",
        "minuter",
        ("Brandskyddsutbildning i skolor, förskolor och boenden",),
        values=(4.3, 4.1, 3.7, 3.6),
        targets=(4.0, 3.8, 3.5, 3.3),
        description="Från larm till att alla elever och all personal är samlade på återsamlingsplatsen. "
        "Övningarna hålls på hösten.",
        direction=LOWER,
        decimals=1,
    ),
    Figure(
        "TF-GC-01",
        "Andel invånare som är nöjda med belysningen på gång- och cykelvägar",
        "%",
        ("Bättre belysning på gång- och cykelvägar",),
        values=(61, 60, 59, 57),
        targets=(62, 64, 66, 68),
        women=(55, 54, 52, 50),
        men=(67, 66, 66, 64),
        description="Ur SCB:s medborgarundersökning, som görs på hösten.",
        source=SURVEY,
    ),
    # Hållbar samhällsbyggnad
    Figure(
        "TF-AV-01",
        "Andel matavfall som sorteras ut",
        "%",
        ("Matavfallet sorteras i hela kommunen",),
        values=(38.0, 46.2, 51.8, 57.1),
        targets=(45.0, 50.0, 55.0, 60.0),
        last_year=(54.0, 55.8),
        this_year=(58.3, 59.1),
        description="Andel av hushållens matavfall som hamnar i matavfallspåsen, enligt plockanalyser "
        "av restavfallet i villor och flerbostadshus.",
        decimals=1,
    ),
    Figure(
        "SKF-EN-01",
        "Energianvändning i kommunens lokaler",
        "kWh/m²",
        ("Kommunens lokaler använder mindre energi",),
        values=(158, 155, 149, 147),
        targets=(154, 150, 146, 142),
        description="Värme, varmvatten och fastighetsel per kvadratmeter uppvärmd area, normalårskorrigerat.",
        direction=LOWER,
    ),
)
