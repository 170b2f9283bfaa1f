"""The demo municipal group: Sjöstads kommun, a made-up municipality of about 95,000 residents.

Its shape is that of a real mid-sized Swedish municipal group: a council with an executive board
and eight committees, a joint chief guardian committee hosted for a neighbour, six administrations
with departments and front-line units (one of them serving two committees), a group parent company
with five subsidiaries, a rescue-service federation shared with the neighbour, and the auditors.
"""

from dataclasses import dataclass, field

from django.utils.text import slugify

from orgunits.kinds import Kind


@dataclass(frozen=True)
class DemoUnit:
    name: str
    kind: Kind
    short_name: str = ""
    description: str = ""
    children: tuple["DemoUnit", ...] = field(default=())
    also_serves: tuple[str, ...] = ()  # slugs of the committees it serves besides the one above it
    partner_municipalities: str = ""  # a joint committee's other municipalities

    @property
    def slug(self) -> str:
        return slugify(self.name)


def _units(kind: Kind, *names: str) -> tuple[DemoUnit, ...]:
    return tuple(DemoUnit(name, kind) for name in names)


U = DemoUnit
K = Kind

SJOSTAD = U(
    "Kommunfullmäktige i Sjöstad",
    K.COUNCIL,
    "KF",
    "Sjöstads kommuns högsta beslutande organ, med 61 ledamöter. Fullmäktige antar vision, "
    "inriktningsmål och budget för hela kommunkoncernen och ger ägardirektiv till bolagen.",
    (
        U(
            "Kommunstyrelsen",
            K.EXECUTIVE_BOARD,
            "KS",
            "Leder och samordnar kommunens verksamheter och har uppsikt över nämnder, bolag och "
            "kommunalförbund.",
            (
                U(
                    "Kommunledningsförvaltningen",
                    K.ADMINISTRATION,
                    "KLF",
                    "Stödjer kommunstyrelsen och leder arbetet med styrning, ekonomi och personal i "
                    "hela kommunen.",
                    (
                        U("Ekonomiavdelningen", K.DEPARTMENT),
                        U("HR-avdelningen", K.DEPARTMENT),
                        U("Digitaliseringsavdelningen", K.DEPARTMENT),
                        U("Kommunikationsavdelningen", K.DEPARTMENT),
                        U("Kansliavdelningen", K.DEPARTMENT),
                    ),
                ),
            ),
        ),
        U(
            "Utbildningsnämnden",
            K.COMMITTEE,
            "UN",
            "Ansvarar för förskola, grundskola, gymnasieskola och vuxenutbildning.",
            (
                U(
                    "Utbildningsförvaltningen",
                    K.ADMINISTRATION,
                    "UF",
                    "Driver kommunens förskolor och skolor, med omkring 14 000 barn och elever.",
                    (
                        U(
                            "Avdelning förskola",
                            K.DEPARTMENT,
                            children=_units(
                                K.UNIT,
                                "Förskolan Solrosen",
                                "Förskolan Ekorren",
                                "Förskolan Vitsippan",
                                "Förskolan Strandängen",
                            ),
                        ),
                        U(
                            "Avdelning grundskola",
                            K.DEPARTMENT,
                            children=_units(
                                K.UNIT,
                                "Västra skolan",
                                "Norrängsskolan",
                                "Centrumskolan",
                                "Sjöviksskolan",
                                "Hagaskolan",
                            ),
                        ),
                        U(
                            "Avdelning gymnasium och vuxenutbildning",
                            K.DEPARTMENT,
                            children=_units(K.UNIT, "Sjöstads gymnasium", "Kunskapscentrum vuxenutbildning"),
                        ),
                    ),
                ),
            ),
        ),
        U(
            "Omsorgsnämnden",
            K.COMMITTEE,
            "ON",
            "Ansvarar för äldreomsorg och stöd till personer med funktionsnedsättning.",
            (
                U(
                    "Omsorgsförvaltningen",
                    K.ADMINISTRATION,
                    "OF",
                    "Ger vård, omsorg och stöd i hemmet och på särskilda boenden.",
                    (
                        U(
                            "Avdelning äldreomsorg",
                            K.DEPARTMENT,
                            children=_units(
                                K.UNIT,
                                "Lindgårdens vård- och omsorgsboende",
                                "Björkhagens vård- och omsorgsboende",
                                "Hemtjänst norr",
                                "Hemtjänst söder",
                            ),
                        ),
                        U(
                            "Avdelning funktionsstöd",
                            K.DEPARTMENT,
                            children=_units(K.UNIT, "Daglig verksamhet Verkstan", "Gruppbostäder Sjöstad"),
                        ),
                    ),
                ),
            ),
        ),
        U(
            "Nämnden för arbete och välfärd",
            K.COMMITTEE,
            "NAV",
            "Ansvarar för individ- och familjeomsorg, ekonomiskt bistånd och arbetsmarknadsinsatser.",
            (
                U(
                    "Förvaltningen för arbete och välfärd",
                    K.ADMINISTRATION,
                    "FAV",
                    children=(
                        U("Avdelning barn och familj", K.DEPARTMENT),
                        U("Avdelning vuxen", K.DEPARTMENT),
                        U("Arbetsmarknadsavdelningen", K.DEPARTMENT),
                    ),
                ),
            ),
        ),
        U(
            "Kultur- och fritidsnämnden",
            K.COMMITTEE,
            "KFN",
            "Ansvarar för bibliotek, kulturverksamhet, idrottsanläggningar och fritidsgårdar.",
            (
                U(
                    "Kultur- och fritidsförvaltningen",
                    K.ADMINISTRATION,
                    "KFF",
                    children=(
                        U(
                            "Avdelning kultur",
                            K.DEPARTMENT,
                            children=_units(K.UNIT, "Stadsbiblioteket", "Kulturskolan"),
                        ),
                        U(
                            "Avdelning fritid",
                            K.DEPARTMENT,
                            children=_units(K.UNIT, "Sjöstads sporthall", "Fritidsgården Navet"),
                        ),
                    ),
                ),
            ),
        ),
        U(
            "Tekniska nämnden",
            K.COMMITTEE,
            "TN",
            "Ansvarar för gator, parker, vatten och avlopp samt avfall.",
            (
                U(
                    "Tekniska förvaltningen",
                    K.ADMINISTRATION,
                    "TF",
                    children=(
                        U("Avdelning gata och park", K.DEPARTMENT),
                        U("Avdelning vatten och avlopp", K.DEPARTMENT),
                        U("Avdelning avfall och återvinning", K.DEPARTMENT),
                    ),
                ),
            ),
        ),
        U(
            "Byggnadsnämnden",
            K.COMMITTEE,
            "BN",
            "Prövar bygglov och ansvarar för detaljplaner och lantmäteri.",
            (
                U(
                    "Samhällsbyggnadsförvaltningen",
                    K.ADMINISTRATION,
                    "SBF",
                    "Bereder och verkställer ärenden åt byggnadsnämnden och miljö- och "
                    "hälsoskyddsnämnden: bygglov, planer, miljötillsyn och livsmedelskontroll.",
                    (U("Bygglovsavdelningen", K.DEPARTMENT), U("Miljöavdelningen", K.DEPARTMENT)),
                    also_serves=("miljo-och-halsoskyddsnamnden",),
                ),
            ),
        ),
        U(
            "Miljö- och hälsoskyddsnämnden",
            K.COMMITTEE,
            "MHN",
            "Utövar tillsyn enligt miljöbalken och livsmedelslagstiftningen.",
        ),
        U(
            "Valnämnden",
            K.COMMITTEE,
            "VN",
            "Ansvarar för att genomföra allmänna val och folkomröstningar i kommunen.",
        ),
        U(
            "Överförmyndarnämnden i Storsjöbygden",
            K.JOINT_COMMITTEE,
            "ÖFN",
            "Gemensam nämnd för Sjöstad och Norrby, med Sjöstad som värdkommun. Utövar tillsyn över "
            "gode män, förvaltare och förmyndare, så att den som inte själv kan bevaka sin rätt får sina "
            "intressen tillvaratagna.",
            partner_municipalities="Norrby",
        ),
        U(
            "Sjöstads Stadshus AB",
            K.COMPANY,
            "Stadshus",
            "Moderbolaget i kommunkoncernen. Äger och styr de kommunala bolagen utifrån "
            "fullmäktiges ägardirektiv.",
            (
                U(
                    "Sjöstadsbostäder AB",
                    K.COMPANY,
                    "Bostäder",
                    "Allmännyttigt bostadsbolag med omkring 9 000 lägenheter.",
                    (U("Förvaltningsområde centrum", K.UNIT), U("Förvaltningsområde väster", K.UNIT)),
                ),
                U(
                    "Sjöstad Energi AB",
                    K.COMPANY,
                    "Energi",
                    "Levererar fjärrvärme, el och elnät.",
                ),
                U(
                    "Sjöstads Kommunfastigheter AB",
                    K.COMPANY,
                    "Fastigheter",
                    "Äger och förvaltar skolor, förskolor, äldreboenden och andra verksamhetslokaler.",
                ),
                U(
                    "Sjöstad Science Park AB",
                    K.COMPANY,
                    "Science Park",
                    "Företagspark och inkubator för nya och växande företag.",
                ),
                U(
                    "Sjöstad Airport AB",
                    K.COMPANY,
                    "Airport",
                    "Driver den regionala flygplatsen.",
                ),
            ),
        ),
        U(
            "Räddningstjänsten Storsjöbygden",
            K.FEDERATION,
            "RSB",
            "Kommunalförbund för räddningstjänst, som Sjöstad delar med grannkommunen Norrby.",
            (
                U(
                    "Operativa avdelningen",
                    K.DEPARTMENT,
                    children=_units(K.UNIT, "Brandstation Sjöstad", "Brandstation Norrby"),
                ),
                U("Avdelning förebyggande", K.DEPARTMENT),
            ),
        ),
        U(
            "Kommunens revisorer",
            K.AUDITORS,
            "Rev",
            "Fem förtroendevalda revisorer, valda av fullmäktige för mandatperioden. De granskar varje år "
            "all verksamhet i nämnderna och, som lekmannarevisorer, i bolagen: om den sköts ändamålsenligt, "
            "om räkenskaperna är rättvisande och om den interna kontrollen är tillräcklig. Revisorerna "
            "sätter inga mål; de läser hela styrkedjan och prövar den.",
        ),
    ),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    # (unit slug, role, position) for each membership.
    memberships: tuple[tuple[str, str, str], ...] = ()
    is_staff: bool = False
    is_superuser: bool = False


# The README lists these with their password and roles.
DEMO_PASSWORD = "styrmodell"
DEMO_USERS = (
    DemoUser("admin", "Alva", "Admin", is_staff=True, is_superuser=True),
    DemoUser("karin.lind", "Karin", "Lind", (("utbildningsforvaltningen", "manager", ""),)),
    DemoUser("sara.ek", "Sara", "Ek", (("vastra-skolan", "manager", ""),)),
    DemoUser("per.holm", "Per", "Holm", (("omsorgsforvaltningen", "manager", ""),)),
    DemoUser("lars.berg", "Lars", "Berg", (("avdelning-grundskola", "editor", ""),)),
    DemoUser("eva.berg", "Eva", "Berg", (("utbildningsnamnden", "politician", "chair"),)),
    DemoUser("lisa.hed", "Lisa", "Hed", (("utbildningsnamnden", "politician", "first_vice_chair"),)),
    DemoUser("nils.falk", "Nils", "Falk", (("utbildningsnamnden", "politician", "second_vice_chair"),)),
    DemoUser("omar.said", "Omar", "Said", (("utbildningsnamnden", "politician", "member"),)),
    DemoUser("maria.sjo", "Maria", "Sjö", (("utbildningsnamnden", "secretary", ""),)),
    DemoUser("johan.nord", "Johan", "Nord", (("kommunstyrelsen", "politician", "chair"),)),
    DemoUser("gun.ahl", "Gun", "Åhl", (("kommunens-revisorer", "politician", "chair"),)),
)
