"""The demo group's target groups and processes, shared by all its organisations."""

from dataclasses import dataclass, field

from processes.models import ProcessKind


@dataclass(frozen=True)
class DemoTargetGroup:
    slug: str
    name: str
    description: str = ""
    children: tuple["DemoTargetGroup", ...] = field(default=())


TARGET_GROUPS = (
    DemoTargetGroup(
        "invanare",
        "Invånare",
        "Alla som bor i Sjöstad, omkring 95 000 människor.",
        (
            DemoTargetGroup("barn-och-unga", "Barn och unga"),
            DemoTargetGroup("aldre", "Äldre"),
            DemoTargetGroup("personer-med-funktionsnedsattning", "Personer med funktionsnedsättning"),
            DemoTargetGroup("nya-i-sverige", "Personer som är nya i Sverige"),
        ),
    ),
    DemoTargetGroup("foretag", "Företag", "Företag som finns i eller vill etablera sig i Sjöstad."),
    DemoTargetGroup("besokare", "Besökare", "Turister, affärsresenärer och andra som besöker Sjöstad."),
)


@dataclass(frozen=True)
class DemoProcess:
    slug: str
    name: str
    kind: ProcessKind
    owning_unit: str
    participants: tuple[str, ...]
    target_groups: tuple[str, ...] = ()
    purpose: str = ""
    owner: str = ""


M, G, S = ProcessKind.MAIN, ProcessKind.MANAGEMENT, ProcessKind.SUPPORT
STADSHUS = "sjostads-stadshus-ab"
RSB = "raddningstjansten-storsjobygden"

PROCESSES = (
    DemoProcess(
        "larande",
        "Lärande",
        M,
        "utbildningsforvaltningen",
        ("utbildningsnamnden", "namnden-for-arbete-och-valfard", "kultur-och-fritidsnamnden", STADSHUS, RSB),
        ("barn-och-unga",),
        "Alla barn och elever får en utbildning som ger dem förutsättningar att nå så långt som möjligt, "
        "från förskolan till vuxenutbildningen.",
        "karin.lind",
    ),
    DemoProcess(
        "omsorg-och-stod",
        "Omsorg och stöd",
        M,
        "omsorgsforvaltningen",
        ("omsorgsnamnden", "namnden-for-arbete-och-valfard", STADSHUS, RSB),
        ("aldre", "personer-med-funktionsnedsattning"),
        "Den som behöver stöd i vardagen får det i tid, med respekt för sin självständighet.",
        "per.holm",
    ),
    DemoProcess(
        "boende-och-livsmiljo",
        "Boende och livsmiljö",
        M,
        STADSHUS,
        ("byggnadsnamnden", "tekniska-namnden", RSB),
        ("invanare",),
        "Det finns bostäder för alla skeden i livet, i trygga och gröna stadsdelar.",
    ),
    DemoProcess(
        "arbete-och-foretagande",
        "Arbete och företagande",
        M,
        "kommunledningsforvaltningen",
        ("kommunstyrelsen", "namnden-for-arbete-och-valfard", STADSHUS),
        ("foretag", "nya-i-sverige"),
        "Fler människor kommer i arbete och fler företag startar, växer och stannar i Sjöstad.",
    ),
    DemoProcess(
        "kultur-och-fritid",
        "Kultur och fritid",
        M,
        "kultur-och-fritidsforvaltningen",
        ("kultur-och-fritidsnamnden", "valnamnden", STADSHUS),
        ("barn-och-unga", "invanare", "besokare"),
        "Ett rikt kultur-, idrotts- och föreningsliv som är öppet för alla.",
    ),
    DemoProcess(
        "trygghet-och-sakerhet",
        "Trygghet och säkerhet",
        M,
        "kommunledningsforvaltningen",
        (
            RSB,
            "tekniska-namnden",
            "miljo-och-halsoskyddsnamnden",
            "samhallsbyggnadsforvaltningen",
            "overformyndarnamnden-i-storsjobygden",
            STADSHUS,
        ),
        ("invanare", "besokare"),
        "Sjöstad är tryggt att bo i och besöka, och samhället står emot olyckor och kriser.",
    ),
    DemoProcess(
        "hallbar-samhallsbyggnad",
        "Hållbar samhällsbyggnad",
        M,
        "tekniska-forvaltningen",
        ("tekniska-namnden", STADSHUS, "kommunstyrelsen"),
        ("invanare", "foretag"),
        "Staden växer med minskad klimatpåverkan och resurser som används klokt.",
    ),
    DemoProcess(
        "styrning-och-uppfoljning",
        "Styrning och uppföljning",
        G,
        "kommunledningsforvaltningen",
        ("kommunstyrelsen",),
        purpose="Mål, budget och uppföljning hänger ihop i hela kommunkoncernen.",
        owner="johan.nord",
    ),
    DemoProcess("hr", "HR", S, "hr-avdelningen", ("kommunledningsforvaltningen",)),
    DemoProcess("ekonomi", "Ekonomi", S, "ekonomiavdelningen", ("kommunledningsforvaltningen",)),
    DemoProcess(
        "it", "IT och digitalisering", S, "digitaliseringsavdelningen", ("kommunledningsforvaltningen",)
    ),
    DemoProcess(
        "kommunikation", "Kommunikation", S, "kommunikationsavdelningen", ("kommunledningsforvaltningen",)
    ),
)
