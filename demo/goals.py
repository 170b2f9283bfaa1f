"""The demo steering chain of Sjöstads kommun for the current budget year.

From the council's vision through seven strategic goals, the body goals of every committee,
company and the federation, down to operational goals and dated activities at the front line.
Every goal names its unit by slug; every chain is complete.
"""

from dataclasses import dataclass, field
from datetime import date

from goals.chain.levels import Level


@dataclass(frozen=True)
class DemoGoal:
    level: Level
    title: str
    unit: str  # the org unit's slug
    description: str = ""
    owner: str = ""  # a demo user's username
    # Activities only: months of the budget year, and progress in per cent.
    start_month: int | None = None
    due_month: int | None = None
    progress: int | None = None
    children: tuple["DemoGoal", ...] = field(default=())

    def dates(self, year: int) -> tuple[date | None, date | None]:
        start = date(year, self.start_month, 1) if self.start_month else None
        due = date(year, self.due_month, 28) if self.due_month else None
        return start, due


def body(unit: str, title: str, *children: DemoGoal, description: str = "", owner: str = "") -> DemoGoal:
    return DemoGoal(Level.BODY, title, unit, description, owner, children=children)


def operational(
    unit: str, title: str, *children: DemoGoal, description: str = "", owner: str = ""
) -> DemoGoal:
    return DemoGoal(Level.OPERATIONAL, title, unit, description, owner, children=children)


def activity(unit: str, title: str, months: tuple[int, int], progress: int, owner: str = "") -> DemoGoal:
    return DemoGoal(
        Level.ACTIVITY,
        title,
        unit,
        owner=owner,
        start_month=months[0],
        due_month=months[1],
        progress=progress,
    )


KF = "kommunfullmaktige-i-sjostad"

VISION = DemoGoal(
    Level.VISION,
    "Sjöstad – där människor växer och hållbarheten är självklar",
    KF,
    "Sjöstad är en kommun där alla kan leva ett gott liv, där barn och unga får de bästa "
    "förutsättningarna och där vi tillsammans tar ansvar för kommande generationer.",
    children=(
        DemoGoal(
            Level.STRATEGIC,
            "Alla barn och unga får en god start i livet och lyckas i skolan",
            KF,
            "Utbildningen ska ge alla barn och elever möjlighet att nå så långt som möjligt, "
            "oavsett bakgrund.",
            children=(
                body(
                    "utbildningsnamnden",
                    "Fler elever når kunskapskraven i alla ämnen",
                    operational(
                        "utbildningsforvaltningen",
                        "Tidiga insatser i läsning och matematik",
                        operational(
                            "avdelning-grundskola",
                            "Läsfrämjande arbete i alla grundskolor",
                            operational(
                                "vastra-skolan",
                                "Alla elever i årskurs 3 läser med flyt",
                                activity("vastra-skolan", "Läsveckor i årskurs 1–3", (2, 5), 60, "sara.ek"),
                                activity(
                                    "vastra-skolan",
                                    "Kartläggning av läsförmågan i årskurs 1",
                                    (8, 10),
                                    0,
                                    "sara.ek",
                                ),
                                owner="sara.ek",
                            ),
                            activity(
                                "norrangsskolan",
                                "Specialpedagog i lågstadiet två dagar i veckan",
                                (1, 12),
                                45,
                            ),
                        ),
                        description="Insatserna sätts in redan i förskoleklass och årskurs 1, där de gör störst skillnad.",
                        owner="karin.lind",
                    ),
                    description="Andelen elever i årskurs 9 som når kunskapskraven i alla ämnen ska öka.",
                    owner="eva.berg",
                ),
                body(
                    "utbildningsnamnden",
                    "Förskolan ger alla barn en god grund för lärande",
                    operational(
                        "utbildningsforvaltningen",
                        "Alla förskolor arbetar systematiskt med språkutveckling",
                        activity("forskolan-solrosen", "Språkpromenader varje vecka", (3, 11), 70),
                        activity("forskolan-ekorren", "Läslyftet för all personal", (1, 6), 100),
                        owner="karin.lind",
                    ),
                ),
                body(
                    "namnden-for-arbete-och-valfard",
                    "Barn och unga i utsatta miljöer får stöd tidigt",
                    operational(
                        "forvaltningen-for-arbete-och-valfard",
                        "Samverkan mellan skola och socialtjänst i varje skolområde",
                        activity("avdelning-barn-och-familj", "Familjecentral i Norra Sjöstad", (1, 9), 80),
                    ),
                ),
            ),
        ),
        DemoGoal(
            Level.STRATEGIC,
            "Äldre och personer med funktionsnedsättning lever ett självständigt och tryggt liv",
            KF,
            children=(
                body(
                    "omsorgsnamnden",
                    "Fler äldre kan bo kvar hemma med trygg hemtjänst",
                    operational(
                        "omsorgsforvaltningen",
                        "Brukarna möter färre olika personal i hemtjänsten",
                        activity(
                            "hemtjanst-norr", "Fasta team per geografiskt område", (1, 4), 100, "per.holm"
                        ),
                        activity("hemtjanst-soder", "Digital planering av besöken", (3, 10), 35),
                        owner="per.holm",
                    ),
                ),
                body(
                    "omsorgsnamnden",
                    "De som bor på vård- och omsorgsboende har en meningsfull vardag",
                    operational(
                        "omsorgsforvaltningen",
                        "Varje boende har en egen plan för sin vardag",
                        operational(
                            "lindgardens-vard-och-omsorgsboende",
                            "Dagliga aktiviteter utifrån de boendes önskemål",
                            activity(
                                "lindgardens-vard-och-omsorgsboende",
                                "Aktivitetsombud på varje avdelning",
                                (2, 6),
                                90,
                            ),
                        ),
                    ),
                ),
                body(
                    "omsorgsnamnden",
                    "Personer med funktionsnedsättning har en meningsfull sysselsättning",
                    operational(
                        "omsorgsforvaltningen",
                        "Fler går från daglig verksamhet till arbete",
                        activity(
                            "daglig-verksamhet-verkstan", "Praktikplatser hos lokala företag", (4, 12), 25
                        ),
                    ),
                ),
            ),
        ),
        DemoGoal(
            Level.STRATEGIC,
            "Sjöstad växer hållbart med bostäder för alla",
            KF,
            children=(
                body(
                    "byggnadsnamnden",
                    "Bygglov handläggs snabbt och förutsägbart",
                    operational(
                        "samhallsbyggnadsforvaltningen",
                        "Digital bygglovsansökan med besked om komplettering inom en vecka",
                    ),
                    description="Ett komplett bygglovsärende ska vara avgjort inom sex veckor.",
                ),
                body(
                    "sjostads-stadshus-ab",
                    "Bolagen bidrar till att Sjöstad växer hållbart",
                    body(
                        "sjostadsbostader-ab",
                        "400 nya hyresrätter under mandatperioden",
                        operational(
                            "forvaltningsomrade-centrum",
                            "Nöjdare hyresgäster i centrum",
                            activity(
                                "forvaltningsomrade-centrum",
                                "Trygghetsvandringar med hyresgästerna",
                                (4, 9),
                                50,
                            ),
                        ),
                    ),
                    body("sjostad-science-park-ab", "Fler nya företag startar och växer i Sjöstad"),
                    body("sjostadsbostader-ab", "Fler trygghetsboenden för äldre"),
                    body("sjostad-airport-ab", "Fler besökare når Sjöstad med direktflyg"),
                    body(
                        "sjostads-kommunfastigheter-ab",
                        "Skolor och förskolor byggs i takt med att Sjöstad växer",
                        description="Två nya förskolor och en ny F–6-skola står klara under mandatperioden.",
                    ),
                ),
            ),
        ),
        DemoGoal(
            Level.STRATEGIC,
            "Fler människor i arbete och ett starkt näringsliv",
            KF,
            children=(
                body(
                    "kommunstyrelsen",
                    "Kommunkoncernen samverkar för fler jobb",
                    operational(
                        "kommunledningsforvaltningen",
                        "Fler praktik- och traineeplatser i kommunens verksamheter",
                        operational(
                            "hr-avdelningen",
                            "Ett samlat praktikprogram för hela kommunen",
                            activity("hr-avdelningen", "Praktikportal på intranätet", (2, 8), 65),
                        ),
                    ),
                ),
                body(
                    "namnden-for-arbete-och-valfard",
                    "Fler hushåll blir självförsörjande",
                    operational(
                        "forvaltningen-for-arbete-och-valfard",
                        "Fler deltagare går från försörjningsstöd till arbete eller studier",
                        activity("arbetsmarknadsavdelningen", "Jobbspår inom vård och omsorg", (1, 12), 55),
                    ),
                ),
            ),
        ),
        DemoGoal(
            Level.STRATEGIC,
            "Ett rikt kultur- och fritidsliv och ett starkt demokratiskt engagemang",
            KF,
            children=(
                body(
                    "kultur-och-fritidsnamnden",
                    "Fler barn och unga är fysiskt aktiva på fritiden",
                    operational(
                        "kultur-och-fritidsforvaltningen",
                        "Öppna hallar och spontanidrott i alla stadsdelar",
                        activity("sjostads-sporthall", "Öppen hall på fredagskvällar", (1, 12), 80),
                        activity(
                            "fritidsgarden-navet", "Spontanidrott i samarbete med föreningarna", (5, 9), 30
                        ),
                    ),
                ),
                body(
                    "kultur-och-fritidsnamnden",
                    "Biblioteken når fler invånare",
                    operational(
                        "kultur-och-fritidsforvaltningen",
                        "Längre öppettider på biblioteken",
                        activity("stadsbiblioteket", "Meröppet bibliotek med egen inpassering", (1, 5), 100),
                    ),
                ),
                body("valnamnden", "Valdeltagandet ökar i alla valdistrikt"),
            ),
        ),
        DemoGoal(
            Level.STRATEGIC,
            "Sjöstad är en trygg och säker kommun",
            KF,
            children=(
                body(
                    "overformyndarnamnden-i-storsjobygden",
                    "Alla som har god man eller förvaltare får sina intressen bevakade",
                ),
                body(
                    "raddningstjansten-storsjobygden",
                    "Färre bränder i bostäder",
                    operational(
                        "operativa-avdelningen",
                        "Fler bostäder har fungerande brandvarnare",
                        activity("brandstation-sjostad", "Hembesök i flerbostadshus", (3, 11), 40),
                    ),
                ),
                body(
                    "raddningstjansten-storsjobygden",
                    "Alla verksamheter kan sitt brandskydd",
                    operational(
                        "avdelning-forebyggande",
                        "Brandskyddsutbildning i skolor, förskolor och boenden",
                        activity(
                            "avdelning-forebyggande", "Utrymningsövning på alla grundskolor", (8, 11), 10
                        ),
                        activity(
                            "avdelning-forebyggande",
                            "Brandskyddsutbildning på vård- och omsorgsboenden",
                            (2, 5),
                            75,
                        ),
                    ),
                ),
                body(
                    "tekniska-namnden",
                    "Gator och parker upplevs som trygga",
                    operational(
                        "tekniska-forvaltningen",
                        "Bättre belysning på gång- och cykelvägar",
                        activity(
                            "avdelning-gata-och-park", "Ny belysning längs Strandpromenaden", (4, 10), 20
                        ),
                    ),
                ),
                body(
                    "miljo-och-halsoskyddsnamnden",
                    "Livsmedelskontrollen skyddar invånarnas hälsa",
                    # Samhällsbyggnadsförvaltningen stands under Byggnadsnämnden and also serves
                    # this committee, so its goals break down this committee's goals too.
                    operational(
                        "samhallsbyggnadsforvaltningen",
                        "Alla livsmedelsanläggningar med hög risk kontrolleras varje år",
                    ),
                ),
            ),
        ),
        DemoGoal(
            Level.STRATEGIC,
            "Sjöstad når klimatmålen och använder resurserna klokt",
            KF,
            children=(
                body(
                    "tekniska-namnden",
                    "Avfallet minskar och mer återvinns",
                    operational(
                        "tekniska-forvaltningen",
                        "Matavfallet sorteras i hela kommunen",
                        activity(
                            "avdelning-avfall-och-atervinning",
                            "Informationskampanj om matavfall",
                            (3, 6),
                            100,
                        ),
                    ),
                ),
                body(
                    "sjostads-stadshus-ab",
                    "Bolagen leder omställningen till fossilfrihet",
                    body("sjostad-energi-ab", "Fjärrvärmen är helt fossilfri 2030"),
                    body("sjostads-kommunfastigheter-ab", "Kommunens lokaler använder mindre energi"),
                    body("sjostad-airport-ab", "Flygplatsen drivs med förnybar energi"),
                ),
            ),
        ),
    ),
)


# The main process each strategic goal is expressed in; the goals that break it down serve it too.
STRATEGIC_PROCESSES = {
    "Alla barn och unga får en god start i livet och lyckas i skolan": "larande",
    "Äldre och personer med funktionsnedsättning lever ett självständigt och tryggt liv": "omsorg-och-stod",
    "Sjöstad växer hållbart med bostäder för alla": "boende-och-livsmiljo",
    "Fler människor i arbete och ett starkt näringsliv": "arbete-och-foretagande",
    "Ett rikt kultur- och fritidsliv och ett starkt demokratiskt engagemang": "kultur-och-fritid",
    "Sjöstad är en trygg och säker kommun": "trygghet-och-sakerhet",
    "Sjöstad når klimatmålen och använder resurserna klokt": "hallbar-samhallsbyggnad",
}

# Goals that serve further processes, beside the one they inherit.
EXTRA_PROCESSES = {
    "Skolor och förskolor byggs i takt med att Sjöstad växer": ("larande",),
    "Fler trygghetsboenden för äldre": ("omsorg-och-stod",),
    "Fler besökare når Sjöstad med direktflyg": ("kultur-och-fritid",),
    "Fler nya företag startar och växer i Sjöstad": ("arbete-och-foretagande",),
    "Brandskyddsutbildning i skolor, förskolor och boenden": ("larande", "omsorg-och-stod"),
    "Utrymningsövning på alla grundskolor": ("larande",),
    "Brandskyddsutbildning på vård- och omsorgsboenden": ("omsorg-och-stod",),
    "Hembesök i flerbostadshus": ("boende-och-livsmiljo",),
    "Trygghetsvandringar med hyresgästerna": ("trygghet-och-sakerhet",),
    "Ett samlat praktikprogram för hela kommunen": ("hr",),
    "Praktikportal på intranätet": ("hr", "it"),
    "Samverkan mellan skola och socialtjänst i varje skolområde": ("omsorg-och-stod",),
}
