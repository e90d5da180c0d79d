"""Names that stand for countries: demonyms, capitals and leaders (with their terms)."""

from __future__ import annotations

from datetime import date

# Adjectives of nationality, by ISO 3166 alpha-2 code.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "GB": ("British",), "US": ("American",), "DE": ("German",), "FR": ("French",),
    "IT": ("Italian",), "NL": ("Dutch",), "NO": ("Norwegian",), "SE": ("Swedish",),
    "DK": ("Danish",), "FI": ("Finnish",), "PL": ("Polish",), "CZ": ("Czech",),
    "SK": ("Slovak",), "ES": ("Spanish",), "PT": ("Portuguese",), "BE": ("Belgian",),
    "CA": ("Canadian",), "AU": ("Australian",), "JP": ("Japanese",), "EE": ("Estonian",),
    "LV": ("Latvian",), "LT": ("Lithuanian",), "RO": ("Romanian",), "BG": ("Bulgarian",),
    "GR": ("Greek",), "TR": ("Turkish",), "IE": ("Irish",), "AT": ("Austrian",),
    "CH": ("Swiss",), "LU": ("Luxembourgish",), "IS": ("Icelandic",), "HR": ("Croatian",),
    "SI": ("Slovenian",), "HU": ("Hungarian",), "KR": ("South Korean",),
    "NZ": ("New Zealand",), "UA": ("Ukrainian",), "RU": ("Russian",), "BY": ("Belarusian",),
    "IR": ("Iranian",), "KP": ("North Korean",), "CN": ("Chinese",),
}  # fmt: skip

# Capitals, and parliaments that vote their governments' pledges, used as metonyms for
# their governments ("London will send...", "the Riksdag approved SEK 40bn").
CAPITALS: dict[str, tuple[str, ...]] = {
    "GB": ("London", "Downing Street"), "US": ("Washington", "the White House", "Pentagon",
    "the Pentagon", "Congress", "the US Congress"), "DE": ("Berlin", "Bundestag", "the Bundestag"),
    "FR": ("Paris", "the Elysee", "the Élysée", "Elysee", "Élysée"),
    "IT": ("Rome",), "NL": ("The Hague", "Tweede Kamer"), "NO": ("Oslo", "Storting", "Stortinget"),
    "SE": ("Stockholm", "Riksdag"),
    "DK": ("Copenhagen", "Folketing"), "FI": ("Helsinki", "Eduskunta"), "PL": ("Warsaw", "Sejm"),
    "CZ": ("Prague",),
    "SK": ("Bratislava",), "ES": ("Madrid",), "PT": ("Lisbon",), "CA": ("Ottawa",),
    "AU": ("Canberra",), "JP": ("Tokyo",), "EE": ("Tallinn", "Riigikogu"), "LV": ("Riga", "Saeima"),
    "LT": ("Vilnius", "Seimas"), "RO": ("Bucharest",), "BG": ("Sofia",), "GR": ("Athens",),
    "TR": ("Ankara",), "IE": ("Dublin",), "AT": ("Vienna",), "CH": ("Bern",),
    "IS": ("Reykjavik", "Althing"), "KR": ("Seoul",), "UA": ("Kyiv", "Kiev"),
    "RU": ("Moscow", "the Kremlin", "Kremlin"), "BY": ("Minsk",), "IR": ("Tehran",),
    "KP": ("Pyongyang",), "CN": ("Beijing",), "SA": ("Riyadh",), "AE": ("Abu Dhabi",),
    "QA": ("Doha",), "KW": ("Kuwait City",), "NZ": ("Wellington",), "IN": ("New Delhi",),
    "TH": ("Bangkok",), "VN": ("Hanoi",),
}  # fmt: skip

# Short names of countries that the news writes for their full names ("the UAE will provide").
SHORT_NAMES: dict[str, tuple[str, ...]] = {
    "AE": ("UAE", "U.A.E.", "the Emirates"), "SA": ("KSA", "the Kingdom of Saudi Arabia"),
    "QA": ("the State of Qatar",),
}  # fmt: skip

# Departments, agencies and offices that act for their government ("the Pentagon announced",
# "USAID is providing"): each stands for its country.
AGENCIES: dict[str, tuple[str, ...]] = {
    "US": ("Department of Defense", "Defense Department", "DoD", "DOD", "Department of State",
           "State Department", "USAID", "Agency for International Development",
           "the Administration", "Biden Administration", "Trump Administration",
           "Biden administration", "Trump administration", "Department of Agriculture",
           "Treasury Department", "Department of the Treasury"),
    "GB": ("FCDO", "Foreign, Commonwealth and Development Office", "Foreign Office",
           "Ministry of Defence (MoD)", "UK Export Finance", "Whitehall"),
    "DE": ("Bundeswehr", "Auswärtiges Amt", "KfW", "Federal Foreign Office", "BMZ",
           "Federal Ministry for Economic Cooperation and Development",
           "Federal Ministry of Defence", "THW", "Federal Agency for Technical Relief",
           # the federal level, as translations from German keep it ("the Bund will pay")
           "the Bund", "Bund"),
    "FR": ("Quai d'Orsay",),
    "JP": ("JICA", "Japan International Cooperation Agency"),
    "KR": ("KOICA", "Korea International Cooperation Agency"),
    "CN": ("China International Development Cooperation Agency", "CIDCA"),
    "SA": ("King Salman Humanitarian Aid and Relief Centre", "KSrelief", "KSRelief",
           "King Salman Humanitarian Aid and Relief Center", "Saudi Fund for Development"),
    "QA": ("Qatar Fund for Development", "QFFD"),
    "KW": ("Kuwait Fund for Arab Economic Development", "Kuwait Fund"),
    "AE": ("Abu Dhabi Fund for Development", "ADFD"),
    "TR": ("AFAD", "Disaster and Emergency Management Presidency", "TİKA", "TIKA",
           "Turkish Cooperation and Coordination Agency"),
}  # fmt: skip

# Regional governments that give under their own names ("Bavaria has pledged rund 12 Mio.
# Euro", "Baden-Württemberg is sending 14 fire engines"): the German Länder, by the English
# name shown, with the German one. (Berlin is the federal capital: see CAPITALS.)
REGIONAL_GOVERNMENTS: dict[str, tuple[str, ...]] = {
    "Baden-Württemberg": ("Baden-Württemberg", "Baden-Wuerttemberg"),
    "Bavaria": ("Bavaria", "Bayern", "Free State of Bavaria"),
    "Brandenburg": ("Brandenburg",), "Bremen": ("Bremen",), "Hamburg": ("Hamburg",),
    "Hesse": ("Hesse", "Hessen"), "Lower Saxony": ("Lower Saxony", "Niedersachsen"),
    "Mecklenburg-Western Pomerania": ("Mecklenburg-Western Pomerania",
                                      "Mecklenburg-Vorpommern"),
    "North Rhine-Westphalia": ("North Rhine-Westphalia", "Nordrhein-Westfalen", "NRW"),
    "Rhineland-Palatinate": ("Rhineland-Palatinate", "Rheinland-Pfalz"),
    "Saarland": ("Saarland",), "Saxony": ("Saxony", "Sachsen", "Free State of Saxony"),
    "Saxony-Anhalt": ("Saxony-Anhalt", "Sachsen-Anhalt"),
    "Schleswig-Holstein": ("Schleswig-Holstein",), "Thuringia": ("Thuringia", "Thüringen"),
}  # fmt: skip

# Places that receive aid but are not countries of ISO 3166 names, by the name shown.
RECEIVING_PLACES: dict[str, tuple[str, ...]] = {
    "Gaza": ("Gaza", "Gaza Strip", "the Gaza Strip"),
    "West Bank": ("West Bank", "the West Bank"),
    "Palestinian territories": ("Palestinian territories", "Occupied Palestinian Territories"),
    "Horn of Africa": ("Horn of Africa", "the Horn of Africa"),
    "Sahel": ("Sahel", "the Sahel"),
    # Bodies that receive donors' money for their own work, named as its recipient ("pledged
    # $20 million to UNRWA"); never donors themselves in the news read here.
    "UNRWA": ("UNRWA", "UN Relief and Works Agency", "U.N. Relief and Works Agency"),
    "Global Fund to Fight AIDS, Tuberculosis and Malaria": (
        "Global Fund to Fight AIDS, Tuberculosis and Malaria",
        "the Global Fund",
        "Global Fund",
    ),
    "World Health Organization": ("World Health Organization", "World Health Organisation"),
    "International Committee of the Red Cross": (
        "International Committee of the Red Cross",
        "ICRC",
    ),
}

# Peoples humanitarian news names as receivers ("for Sudanese refugees in Chad", "for Afghan
# returnees"), read as their country's places: receivers, never donors.
RECEIVING_PEOPLES: dict[str, tuple[str, ...]] = {
    "South Sudan": ("South Sudanese",), "Sudan": ("Sudanese",), "Afghanistan": ("Afghan",),
    "Syria": ("Syrian",), "Somalia": ("Somali",), "Yemen": ("Yemeni",), "Haiti": ("Haitian",),
    "Libya": ("Libyan",), "Ethiopia": ("Ethiopian",), "Lebanon": ("Lebanese",),
}  # fmt: skip
# Regions whose crises the news names in place of their country, read as its places ("for
# medical aid in Darfur": Sudan's, as the gold records it).
RECEIVING_REGIONS: dict[str, tuple[str, ...]] = {
    "Sudan": ("Darfur", "North Darfur", "South Darfur", "Kordofan", "El Fasher"),
    "Syria": ("Idlib",),
    "Ethiopia": ("Tigray",),
}

_OPEN = date(9999, 12, 31)

# Heads of state or government (and a few defence ministers) who announce pledges,
# with the country and the term during which the name stands for it.
LEADERS: tuple[tuple[str, str, date, date], ...] = (
    ("Trump", "US", date(2025, 1, 20), _OPEN),
    ("Trump", "US", date(2017, 1, 20), date(2021, 1, 19)),
    ("Biden", "US", date(2021, 1, 20), date(2025, 1, 19)),
    ("Hegseth", "US", date(2025, 1, 25), _OPEN),
    ("Lloyd Austin", "US", date(2021, 1, 22), date(2025, 1, 20)),
    ("Blinken", "US", date(2021, 1, 26), date(2025, 1, 20)),
    ("Lammy", "GB", date(2024, 7, 5), date(2025, 9, 5)),
    ("Brekelmans", "NL", date(2024, 7, 2), _OPEN),
    ("Starmer", "GB", date(2024, 7, 5), _OPEN),
    ("Healey", "GB", date(2024, 7, 5), _OPEN),
    ("Sunak", "GB", date(2022, 10, 25), date(2024, 7, 4)),
    ("Boris Johnson", "GB", date(2019, 7, 24), date(2022, 9, 5)),
    ("Macron", "FR", date(2017, 5, 14), _OPEN),
    ("Merz", "DE", date(2025, 5, 6), _OPEN),
    ("Scholz", "DE", date(2021, 12, 8), date(2025, 5, 5)),
    ("Pistorius", "DE", date(2023, 1, 19), _OPEN),
    ("Meloni", "IT", date(2022, 10, 22), _OPEN),
    ("Crosetto", "IT", date(2022, 10, 22), _OPEN),
    ("Carney", "CA", date(2025, 3, 14), _OPEN),
    ("McGuinty", "CA", date(2025, 5, 13), _OPEN),
    ("Trudeau", "CA", date(2015, 11, 4), date(2025, 3, 13)),
    ("Albanese", "AU", date(2022, 5, 23), _OPEN),
    ("Støre", "NO", date(2021, 10, 14), _OPEN),
    ("Store", "NO", date(2021, 10, 14), _OPEN),
    ("Frederiksen", "DK", date(2019, 6, 27), _OPEN),
    ("Kristersson", "SE", date(2022, 10, 18), _OPEN),
    ("Orpo", "FI", date(2023, 6, 20), _OPEN),
    ("Stubb", "FI", date(2024, 3, 1), _OPEN),
    ("Tusk", "PL", date(2023, 12, 13), _OPEN),
    ("Kosiniak-Kamysz", "PL", date(2023, 12, 13), _OPEN),
    ("Schoof", "NL", date(2024, 7, 2), _OPEN),
    ("Rutte", "NL", date(2010, 10, 14), date(2024, 7, 1)),
    ("Sánchez", "ES", date(2018, 6, 2), _OPEN),
    ("Sanchez", "ES", date(2018, 6, 2), _OPEN),
    ("Fiala", "CZ", date(2021, 12, 17), date(2025, 12, 8)),
    ("De Wever", "BE", date(2025, 2, 3), _OPEN),
    ("De Croo", "BE", date(2020, 10, 1), date(2025, 2, 2)),
    ("Ishiba", "JP", date(2024, 10, 1), date(2025, 10, 20)),
    ("Kishida", "JP", date(2021, 10, 4), date(2024, 9, 30)),
)

# Leaders of organisations, by organisation name.
ORGANISATION_LEADERS: tuple[tuple[str, str, date, date], ...] = (
    ("von der Leyen", "European Union", date(2019, 12, 1), _OPEN),
    ("Von der Leyen", "European Union", date(2019, 12, 1), _OPEN),
    ("Kallas", "European Union", date(2024, 12, 1), _OPEN),
    ("Rutte", "NATO", date(2024, 10, 1), _OPEN),
    ("Stoltenberg", "NATO", date(2014, 10, 1), date(2024, 9, 30)),
)

# People who speak for the recipient or for the aggressor: never donors.
UKRAINIAN_NAMES = (
    "Zelenskyy", "Zelensky", "Zelenskiy", "Zelenskyi", "Shmyhal", "Svyrydenko", "Sybiha",
    "Umerov", "Yermak", "Kuleba", "Fedorov", "Shmyhal", "Syrskyi", "Budanov", "Klitschko",
    "Stefanchuk", "Marchenko", "Ukrainians",
)  # fmt: skip
RUSSIAN_NAMES = (
    "Putin", "Lavrov", "Peskov", "Shoigu", "Belousov", "Medvedev", "Zakharova", "Lukashenko",
    "Kim Jong Un", "Russians",
)  # fmt: skip

# Donors that never give aid to the default recipient.
NON_DONOR_CODES = frozenset({"UA", "RU", "BY", "IR", "KP"})


def leader_code(name: str, on: date | None) -> str | None:
    """The country a leader's name stands for on a date (with no date: the current term, else
    the one country the name ever stood for)."""
    return _in_office(LEADERS, name, on) or (_only_holder(LEADERS, name) if on is None else None)


def organisation_leader(name: str, on: date | None) -> str | None:
    """The organisation a leader's name stands for on a date (with no date, as
    ``leader_code``)."""
    return _in_office(ORGANISATION_LEADERS, name, on) or (
        _only_holder(ORGANISATION_LEADERS, name) if on is None else None
    )


def _only_holder(table: tuple[tuple[str, str, date, date], ...], name: str) -> str | None:
    """The holder a name stands for in every term of a table, else None ("Rutte": two)."""
    holders = {holder for person, holder, _, _ in (*LEADERS, *ORGANISATION_LEADERS)
               if person == name}  # fmt: skip
    if len(holders) != 1:
        return None
    holder = holders.pop()
    return holder if any(row[1] == holder for row in table) else None


def _in_office(
    table: tuple[tuple[str, str, date, date], ...], name: str, on: date | None
) -> str | None:
    """Look a name up in a table of terms of office."""
    for person, holder, start, end in table:
        if person == name and (
            on is None and end == _OPEN or on is not None and start <= on <= end
        ):
            return holder
    return None


def leader_names() -> set[str]:
    """Every leader name in the tables."""
    return {row[0] for row in LEADERS} | {row[0] for row in ORGANISATION_LEADERS}
