"""Reference data shared by the seed, the extractor and the forms.

Facts only: item categories with the kind of support they belong to, the
starting item catalogue, organisations and groups that pledge, and the
common names people use for countries. Countries themselves come from
pycountry (ISO 3166).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("military", "financial", "humanitarian", "reconstruction")
STAGES = ("announced", "committed", "allocated", "delivered", "cancelled")
QUALIFIERS = ("exact", "about", "at_least", "up_to", "unknown")
PRECISIONS = ("day", "week", "month", "year")
DONOR_KINDS = ("country", "organisation", "group")


@dataclass(frozen=True)
class Category:
    """An item category and the kind of support its items count as."""

    name: str
    kind: str


CATEGORIES: tuple[Category, ...] = (
    Category("air defence", "military"),
    Category("missiles", "military"),
    Category("drones", "military"),
    Category("artillery", "military"),
    Category("armour", "military"),
    Category("ammunition", "military"),
    Category("other military", "military"),
    Category("grant", "financial"),
    Category("loan", "financial"),
    Category("guarantee", "financial"),
    Category("budget support", "financial"),
    Category("humanitarian", "humanitarian"),
    Category("reconstruction", "reconstruction"),
)

CATEGORY_KIND = {c.name: c.kind for c in CATEGORIES}


@dataclass(frozen=True)
class CatalogueItem:
    """A catalogue entry: what is given, its category and the unit it is counted in."""

    name: str
    category: str
    unit: str | None  # None for money items: they are counted in a currency
    aliases: tuple[str, ...] = ()  # other names articles use (matched whole, any case)


# The item of a sum whose words do not say what it is for ("€10bn to help Ukraine").
GENERIC_MONEY_ITEM = "aid"

ITEMS: tuple[CatalogueItem, ...] = (
    CatalogueItem("air defence missiles", "air defence", "missile"),
    CatalogueItem("air defence systems", "air defence", "system"),
    CatalogueItem("interceptor drones", "drones", "drone"),
    CatalogueItem("drones", "drones", "drone"),
    CatalogueItem("missiles", "missiles", "missile"),
    CatalogueItem("cruise missiles", "missiles", "missile"),
    CatalogueItem("artillery pieces", "artillery", "piece"),
    CatalogueItem("howitzers", "artillery", "piece"),
    CatalogueItem("multiple rocket launchers", "artillery", "system"),
    CatalogueItem("tanks", "armour", "vehicle"),
    CatalogueItem("armoured vehicles", "armour", "vehicle"),
    CatalogueItem("infantry fighting vehicles", "armour", "vehicle"),
    CatalogueItem("artillery shells", "ammunition", "round"),
    CatalogueItem("ammunition", "ammunition", "round"),
    CatalogueItem("fighter jets", "other military", "aircraft"),
    CatalogueItem("helicopters", "other military", "aircraft"),
    CatalogueItem("defensive weapons", "other military", None),
    CatalogueItem("military aid", "other military", None),
    CatalogueItem(GENERIC_MONEY_ITEM, "grant", None),
    CatalogueItem("grant", "grant", None),
    CatalogueItem("loan", "loan", None),
    CatalogueItem("loan guarantee", "guarantee", None),
    CatalogueItem("budget support", "budget support", None),
    CatalogueItem("humanitarian aid", "humanitarian", None),
    CatalogueItem("reconstruction aid", "reconstruction", None),
    CatalogueItem("energy infrastructure", "reconstruction", None),
    # Systems that recur in the field, with the names articles give them.
    CatalogueItem("Patriot", "air defence", "system", (
        "Patriot system", "Patriot systems", "Patriot battery", "Patriot batteries",
        "Patriots", "MIM-104", "PAC-3", "Patriot air defence system",
        "Patriot air defense system", "Patriot missile battery")),
    CatalogueItem("IRIS-T", "air defence", "system", (
        "IRIS-T SLM", "IRIS-T system", "IRIS-T systems", "IRIS-T air defence system",
        "IRIS-T air defence systems", "IRIS-T air defense systems")),
    CatalogueItem("NASAMS", "air defence", "system", (
        "National Advanced Surface-to-Air Missile System",
        "National Advanced Surface-to-Air Missile Systems", "NASAMS system")),
    CatalogueItem("HAWK", "air defence", "system", ("Hawk", "HAWK system", "HAWK launchers")),
    CatalogueItem("Gepard", "air defence", "vehicle", (
        "Gepards", "Gepard anti-aircraft guns", "Gepard self-propelled anti-aircraft guns")),
    CatalogueItem("HIMARS", "artillery", "system", (
        "High Mobility Artillery Rocket System", "High Mobility Artillery Rocket Systems",
        "high-mobility artillery rocket systems", "HIMARS launchers")),
    CatalogueItem("Leopard 2", "armour", "vehicle", (
        "Leopard 2 tanks", "Leopard 2A4", "Leopard 2A6", "Leopard 2A4 tanks",
        "Leopard 2A6 tanks")),
    CatalogueItem("Abrams", "armour", "vehicle", ("M1 Abrams", "Abrams tanks", "M1A1 Abrams")),
    CatalogueItem("Bradley", "armour", "vehicle", (
        "Bradleys", "Bradley vehicles", "Bradley fighting vehicles",
        "Bradley infantry fighting vehicles")),
    CatalogueItem("F-16", "other military", "aircraft", (
        "F-16s", "F-16 jets", "F-16 fighter jets", "F-16 aircraft")),
    CatalogueItem("Javelin", "missiles", "missile", (
        "Javelins", "Javelin missiles", "Javelin anti-tank missiles")),
    CatalogueItem("NLAW", "missiles", "missile", ("NLAWs", "NLAW anti-tank weapons")),
    CatalogueItem("Stinger", "air defence", "missile", ("Stingers", "Stinger missiles")),
    CatalogueItem("155mm shells", "ammunition", "round", (
        "155mm rounds", "155mm artillery rounds", "155mm ammunition", "155 mm shells",
        "155mm artillery shells", "155mm artillery ammunition", "155-mm shells")),
    CatalogueItem("Shahed interceptor drones", "drones", "drone", (
        "anti-Shahed drones", "Shahed interceptors", "drone interceptors")),
)  # fmt: skip

# The general item of each category: where a phrase the catalogue does not know goes on
# import, flagged for an analyst to review.
GENERAL_ITEMS: dict[str, str] = {
    "air defence": "air defence systems", "missiles": "missiles", "drones": "drones",
    "artillery": "artillery pieces", "armour": "armoured vehicles",
    "ammunition": "ammunition", "other military": "military aid", "grant": "grant",
    "loan": "loan", "guarantee": "loan guarantee", "budget support": "budget support",
    "humanitarian": "humanitarian aid", "reconstruction": "reconstruction aid",
}  # fmt: skip


@dataclass(frozen=True)
class Organisation:
    """A pledging organisation with the names it goes by."""

    name: str
    aliases: tuple[str, ...]


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "European Union",
        (
            "EU",
            "European Commission",
            "the Commission",
            "Brussels",
            "EU institutions",
            "European Council",
            "Council of the EU",
            "Council of the European Union",
            "the Council",
            "Council of Ministers",
            "the Council of Ministers",
            "EU (Commission and Council)",
            "the bloc",
            "the 27-nation bloc",
        ),
    ),
    Organisation("European Investment Bank", ("EIB",)),
    Organisation("European Peace Facility", ("EPF",)),
    Organisation("European Bank for Reconstruction and Development", ("EBRD",)),
    Organisation("World Bank", ("World Bank Group", "IBRD")),
    Organisation("International Finance Corporation", ("IFC",)),
    Organisation("International Development Association", ("IDA",)),
    Organisation("Multilateral Investment Guarantee Agency", ("MIGA",)),
    Organisation(
        "Council of Europe Development Bank", ("CEB", "the Council of Europe Development Bank")
    ),
    Organisation("Nordic Investment Bank", ("NIB",)),
    Organisation("Nordic Environment Finance Corporation", ("NEFCO",)),
    Organisation("Asian Development Bank", ("ADB",)),
    Organisation("Asian Infrastructure Investment Bank", ("AIIB",)),
    Organisation("African Development Bank", ("AfDB",)),
    Organisation("Inter-American Development Bank", ("IDB", "IADB")),
    Organisation("Islamic Development Bank", ("IsDB",)),
    Organisation("Central American Bank for Economic Integration", ("CABEI", "BCIE")),
    Organisation("Arab Fund for Economic and Social Development", ("AFESD", "the Arab Fund")),
    Organisation("OPEC Fund for International Development", ("OPEC Fund",)),
    Organisation("Black Sea Trade and Development Bank", ("BSTDB",)),
    Organisation("International Monetary Fund", ("IMF",)),
    Organisation("NATO", ("North Atlantic Treaty Organization", "the alliance")),
    Organisation("United Nations", ("UN", "U.N.", "Central Emergency Response Fund", "CERF")),
)


@dataclass(frozen=True)
class Group:
    """A group of donors; members are ISO 3166 alpha-2 codes."""

    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]


EU_MEMBERS = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip

GROUPS: tuple[Group, ...] = (
    Group("EU member states", ("EU member states", "EU countries"), EU_MEMBERS),
    Group("G7", ("Group of Seven",), ("CA", "FR", "DE", "IT", "JP", "GB", "US")),
    Group("Coalition of the willing", ("coalition of the willing",), ()),
    Group("Conference participants", ("participants",), ()),
    Group(
        "Ukraine Defence Contact Group",
        (
            "Ukraine Defense Contact Group",
            "Ramstein group",
            "Ramstein format",
            "UDCG",
            "contact group",
        ),
        (),
    ),
    Group(
        "Nordic countries", ("Nordic countries", "Nordic states"), ("DK", "FI", "IS", "NO", "SE")
    ),
    Group(
        "Nordic-Baltic Eight",
        ("Nordic-Baltic Eight", "NB8"),
        ("DK", "EE", "FI", "IS", "LT", "LV", "NO", "SE"),
    ),
    Group("International donors", ("international donors", "donors"), ()),
    Group("Allies", ("allies", "Western allies", "Western partners", "international partners"), ()),
)

# Names people use for a country, by alpha-2 code. The first name is the one
# the tracker shows (ISO names such as "Korea, Republic of" read badly).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    "US": ("United States", "US", "U.S.", "USA", "America", "United States of America"),
    "DE": ("Germany",),
    "FR": ("France",),
    "IT": ("Italy",),
    "NL": ("Netherlands", "the Netherlands", "Holland"),
    "CZ": ("Czech Republic", "Czechia"),
    "KR": ("South Korea", "Korea"),
    "RU": ("Russia",),
    "TR": ("Turkey", "Türkiye", "Turkiye"),
    "UA": ("Ukraine",),
    "MD": ("Moldova",),
    "IR": ("Iran",),
    "TW": ("Taiwan",),
    "VN": ("Vietnam",),
    "SY": ("Syria",),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "TZ": ("Tanzania",),
    "KP": ("North Korea",),
    "VA": ("Holy See", "Vatican"),
    "BY": ("Belarus",),
    "CN": ("China",),
    "LA": ("Laos",),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "DRC"),
}

DEFAULT_RECIPIENT = "Ukraine"
# The longest recipient name stored (joined receivers included: "Sudan; Chad; South Sudan").
RECIPIENT_NAME_LENGTH = 200
# Recipients shown by the name the United Nations uses where the donor's shown name (the
# first of COUNTRY_ALIASES, as the donor lists write it) is an older one.
RECIPIENT_NAMES: dict[str, str] = {"TR": "Türkiye"}
