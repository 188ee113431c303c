"""Deterministic, realistic OCPI 2.2.1 Location seed data for the reference CPO.

``seed_locations()`` returns plain JSON-ready dicts (mod_locations.asciidoc: Location, EVSE, Connector and
their classes). Nothing here is random: the same arguments always give the same list.

The sites are invented but plausible: real cities, real-looking streets, postal codes in each country's
format and coordinates near the place they name. The reference CPO (``country_code``/``party_id``) operates
in six countries, so ``Location.country`` (ISO 3166-1 alpha-3) and ``time_zone`` vary while
``Location.country_code`` is always the CPO's own. EVSE IDs follow eMI3 (``DE*RCP*E0002*1``) with the
country of the Location.

Timestamps: Location ``last_updated`` values are distinct and strictly increasing (3 to 8 hours apart, so
the default 30 locations span about six and a half days from ``base_time``); every EVSE's
``last_updated`` is <= its Location's and every Connector's is <= its EVSE's. Opening-hour exceptions
and status schedules lie after ``base_time``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

__all__ = ["seed_locations", "seed_tariff_ids"]

_CDN: Final = "https://cdn.roamcert-charging.example"
_WEB: Final = "https://www.roamcert-charging.example"


# --------------------------------------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Country:
    alpha2: str
    time_zone: str
    language: str
    operator: str
    domestic: str  # ConnectorType of the local household socket
    domestic_amps: int
    grid_mix: tuple[tuple[str, float], ...]  # EnergySourceCategory, percentage (sums to 100)
    co2: float  # g/kWh
    nuclear_waste: float | None  # g/kWh
    green_supplier: str
    green_product: str
    tariff_suffix: str = ""  # tariffs in a currency other than EUR get their own ids


_COUNTRIES: Final[dict[str, _Country]] = {
    "NLD": _Country(
        "NL", "Europe/Amsterdam", "nl", "RoamCert Charging Nederland B.V.", "DOMESTIC_F", 10,
        (("GAS", 39), ("COAL", 8), ("NUCLEAR", 3), ("WIND", 27), ("SOLAR", 17), ("GENERAL_GREEN", 6)),
        268, 0.0001, "Polderstroom", "Hollandse Wind 100%",
    ),
    "DEU": _Country(
        "DE", "Europe/Berlin", "de", "RoamCert Laden GmbH", "DOMESTIC_F", 10,
        (("COAL", 22), ("GAS", 14), ("GENERAL_FOSSIL", 4), ("WIND", 33), ("SOLAR", 14), ("WATER", 4),
         ("GENERAL_GREEN", 9)),
        363, None, "Rheinland Ökoenergie", "Naturstrom Regional",
    ),
    "BEL": _Country(
        "BE", "Europe/Brussels", "nl", "RoamCert Charging Belgium NV", "DOMESTIC_E", 10,
        (("NUCLEAR", 41), ("GAS", 23), ("WIND", 20), ("SOLAR", 10), ("GENERAL_GREEN", 6)),
        130, 0.0011, "Vlaamse Windcoöperatie", "Groene Stroom 100%",
    ),
    "FRA": _Country(
        "FR", "Europe/Paris", "fr", "RoamCert Recharge France SAS", "DOMESTIC_E", 10,
        (("NUCLEAR", 67), ("WATER", 13), ("WIND", 9), ("SOLAR", 5), ("GAS", 5), ("GENERAL_FOSSIL", 1)),
        32, 0.0018, "Énergie Verte de France", "Offre Verte Hydro",
    ),
    "PRT": _Country(
        "PT", "Europe/Lisbon", "pt", "RoamCert Carregamento Portugal, Lda.", "DOMESTIC_F", 10,
        (("WATER", 28), ("WIND", 27), ("SOLAR", 11), ("GENERAL_GREEN", 9), ("GAS", 22),
         ("GENERAL_FOSSIL", 3)),
        120, None, "Energia Atlântica", "Tarifa 100% Renovável",
    ),
    "GBR": _Country(
        "GB", "Europe/London", "en", "RoamCert Charging UK Ltd", "DOMESTIC_G", 13,
        (("GAS", 32), ("WIND", 29), ("NUCLEAR", 14), ("SOLAR", 5), ("WATER", 2), ("GENERAL_GREEN", 12),
         ("COAL", 1), ("GENERAL_FOSSIL", 5)),
        170, 0.0004, "Albion Renewables", "Pure Wind Tariff", "-GBP",
    ),
}

# --------------------------------------------------------------------------------------------------------
# Connectors and EVSE kinds
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Conn:
    standard: str  # "DOMESTIC" is replaced by the country's household socket
    format: str
    power_type: str
    max_voltage: int
    max_amperage: int
    max_electric_power: int


_T2_S11 = _Conn("IEC_62196_T2", "SOCKET", "AC_3_PHASE", 230, 16, 11040)
_T2_S22 = _Conn("IEC_62196_T2", "SOCKET", "AC_3_PHASE", 230, 32, 22080)
_T2_C11 = _Conn("IEC_62196_T2", "CABLE", "AC_3_PHASE", 230, 16, 11040)
_T2_C22 = _Conn("IEC_62196_T2", "CABLE", "AC_3_PHASE", 230, 32, 22080)
_T2_C43 = _Conn("IEC_62196_T2", "CABLE", "AC_3_PHASE", 230, 63, 43470)
_T2_S7 = _Conn("IEC_62196_T2", "SOCKET", "AC_1_PHASE", 230, 32, 7360)
_DOMESTIC = _Conn("DOMESTIC", "SOCKET", "AC_1_PHASE", 230, 10, 2300)
_CCS_50 = _Conn("IEC_62196_T2_COMBO", "CABLE", "DC", 500, 125, 50000)
_CCS_150 = _Conn("IEC_62196_T2_COMBO", "CABLE", "DC", 920, 200, 150000)
_CCS_300 = _Conn("IEC_62196_T2_COMBO", "CABLE", "DC", 920, 500, 300000)
_CHADEMO_50 = _Conn("CHADEMO", "CABLE", "DC", 500, 125, 50000)
_CCS1_50 = _Conn("IEC_62196_T1_COMBO", "CABLE", "DC", 500, 125, 50000)
_TESLA_120 = _Conn("TESLA_S", "CABLE", "DC", 410, 330, 120000)

# One EVSE kind = the connectors one EVSE offers (only one of them can be used at a time).
_EVSE_KINDS: Final[dict[str, tuple[_Conn, ...]]] = {
    "ac11s": (_T2_S11,),
    "ac22s": (_T2_S22,),
    "ac11c": (_T2_C11,),
    "ac22c": (_T2_C22,),
    "ac7s": (_T2_S7,),
    "ac_dual": (_T2_S22, _DOMESTIC),
    "scooter": (_DOMESTIC,),
    "dc50_duo": (_CCS_50, _CHADEMO_50),
    "dc50_triple": (_CCS_50, _CHADEMO_50, _T2_C43),
    "dc50_ccs1": (_CCS1_50, _CCS_50),
    "dc150": (_CCS_150,),
    "dc300": (_CCS_300,),
    "dc_tesla": (_TESLA_120, _CCS_150),
}

# Capability enum order, used to list an EVSE's capabilities in a stable order.
_CAPABILITIES: Final = (
    "CHARGING_PROFILE_CAPABLE",
    "CHARGING_PREFERENCES_CAPABLE",
    "CHIP_CARD_SUPPORT",
    "CONTACTLESS_CARD_SUPPORT",
    "CREDIT_CARD_PAYABLE",
    "DEBIT_CARD_PAYABLE",
    "PED_TERMINAL",
    "REMOTE_START_STOP_CAPABLE",
    "RESERVABLE",
    "RFID_READER",
    "START_SESSION_CONNECTOR_REQUIRED",
    "TOKEN_GROUP_CAPABLE",
    "UNLOCK_CAPABLE",
)

# EVSE status by running EVSE number; a prime length so that sites do not all look alike.
_STATUS_CYCLE: Final = (
    "AVAILABLE", "CHARGING", "AVAILABLE", "AVAILABLE", "CHARGING", "OUTOFORDER", "AVAILABLE", "AVAILABLE",
    "CHARGING", "AVAILABLE", "BLOCKED", "AVAILABLE", "CHARGING", "AVAILABLE", "RESERVED", "AVAILABLE",
    "INOPERATIVE", "CHARGING", "AVAILABLE", "AVAILABLE", "CHARGING", "UNKNOWN", "AVAILABLE",
)

_GARAGES: Final = frozenset({"PARKING_GARAGE", "UNDERGROUND_GARAGE"})

# --------------------------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Site:
    code: str  # three letters, prefix of the physical references
    name: str
    address: str
    city: str
    postal_code: str | None
    country: str  # alpha-3
    latitude: str
    longitude: str
    parking_type: str
    facilities: tuple[str, ...]
    evses: tuple[str, ...]  # keys of _EVSE_KINDS
    hours: str = "247"  # see _opening_times
    energy: str | None = "grid"  # "grid", "green", "green_sources" or None
    state: str | None = None
    language: str | None = None  # overrides the country's language
    restrictions: tuple[str, ...] = ()
    plan: str = "std"  # "std", "dest" (guests) or "free"
    publish_to: tuple[tuple[tuple[str, str], ...], ...] = ()  # non-empty: publish is false
    suboperator: str | None = None
    owner: str | None = None
    directions: tuple[tuple[str, str], ...] = ()
    related: tuple[tuple[str, str, str], ...] = ()  # latitude, longitude, name (in the site's language)
    statuses: tuple[tuple[int, str], ...] = ()  # EVSE index -> status, overriding the cycle


_NLD: Final = (
    _Site(
        "UTJ", "P+R Jaarbeurs Utrecht", "Jaarbeursplein 6", "Utrecht", "3521 AL", "NLD",
        "52.088970", "5.107550", "PARKING_GARAGE", ("TRAIN_STATION", "TRAM_STOP", "PARKING_LOT"),
        ("ac22c", "ac22c", "ac22c", "ac_dual", "scooter"),
        energy="green", suboperator="Stadsparkeren Utrecht B.V.",
        directions=(
            ("nl", "Volg vanaf de Croeselaan de borden P+R Jaarbeurs. De laadpunten staan op niveau 1, "
                   "naast de voetgangersbrug naar Utrecht Centraal."),
            ("en", "From Croeselaan follow the signs P+R Jaarbeurs. The chargers are on level 1, next to "
                   "the footbridge to Utrecht Centraal station."),
        ),
        related=(("52.087810", "5.108920", "Inrit Croeselaan"),),
    ),
    _Site(
        "AMS", "Oosterdokskade", "Oosterdokskade 150", "Amsterdam", "1011 DL", "NLD",
        "52.376120", "4.908890", "ON_STREET", ("TRAIN_STATION", "BIKE_SHARING", "CAFE"),
        ("ac11s", "ac11s"), hours="247c", restrictions=("EV_ONLY", "PLUGGED"), owner="Gemeente Amsterdam",
    ),
    _Site(
        "RTM", "Wilhelminakade", "Wilhelminakade 88", "Rotterdam", "3072 AP", "NLD",
        "51.907360", "4.488360", "ON_STREET", ("TRAM_STOP", "METRO_STATION", "RESTAURANT"),
        ("ac11s", "ac11s"), energy="green", restrictions=("EV_ONLY", "PLUGGED"), owner="Gemeente Rotterdam",
    ),
    _Site(
        "EHV", "Strijp-S Kantoren P-Anton", "Torenallee 22", "Eindhoven", "5617 BD", "NLD",
        "51.448290", "5.457030", "UNDERGROUND_GARAGE", ("PARKING_LOT", "WIFI"),
        ("ac11c", "ac11c", "ac11c", "ac11c", "ac11c", "dc50_duo"),
        hours="office", energy="green_sources", plan="free", owner="Strijp-S Kantoren B.V.",
        publish_to=(
            (("group_id", "RCP-EMP-EHV-2026"),),
            (("uid", "04A1B2C3D4E5F6"), ("type", "RFID")),
            (("visual_number", "NL-RCE-C12345678-9"), ("issuer", "Strijp-S Kantoren B.V.")),
        ),
        directions=(("nl", "Alleen voor medewerkers en bezoekers van Strijp-S Kantoren. Inrit via de "
                           "slagboom aan de Glaslaan, laadplekken op niveau -1."),),
        related=(("51.447710", "5.455980", "Inrit Glaslaan"),),
    ),
    _Site(
        "A12", "Verzorgingsplaats Bunnik-Noord (A12)", "Rijksweg A12, hectometerpaal 71,3", "Bunnik", None,
        "NLD", "52.063500", "5.203100", "ALONG_MOTORWAY", ("FUEL_STATION", "CAFE", "WIFI"),
        ("dc300", "dc300", "dc150", "dc150", "dc50_triple"),
        energy="green", suboperator="Snelweg Services Nederland B.V.",
        directions=(("nl", "Alleen bereikbaar vanaf de A12 richting Arnhem, na afrit 19 Bunnik."),
                    ("en", "Only reachable from the A12 towards Arnhem, after exit 19 Bunnik.")),
    ),
    _Site(
        "GRQ", "Zernike Campus", "Nijenborgh 4", "Groningen", "9747 AG", "NLD",
        "53.240390", "6.536280", "PARKING_LOT", ("BIKE_SHARING", "BUS_STOP", "CAFE"),
        ("ac22s", "ac22s", "ac22s", "ac22s"),
    ),
    _Site(
        "HLM", "Parkeergarage Raaks", "Raaks 13", "Haarlem", "2011 VA", "NLD",
        "52.382520", "4.631490", "UNDERGROUND_GARAGE", ("MALL", "CAFE", "PARKING_LOT"),
        ("ac11c", "ac11c", "ac11c", "scooter"), hours="garage", suboperator="Spaarnestad Parkeren B.V.",
        related=(("52.382960", "4.630610", "Inrit Raaks"),),
    ),
    _Site(
        "MST", "Hotel De Maaspoort", "Boschstraat 47", "Maastricht", "6211 AT", "NLD",
        "50.854050", "5.691390", "PARKING_LOT", ("HOTEL", "RESTAURANT", "WIFI"),
        ("ac22s", "ac22s"), restrictions=("CUSTOMERS",), plan="dest", owner="Hotel De Maaspoort",
        directions=(("nl", "Parkeerplaats achter het hotel, inrit via de Bassinkade."),),
    ),
    _Site(
        "ZWL", "Hanzeland", "Hanzelaan 310", "Zwolle", "8017 JL", "NLD",
        "52.502620", "6.095270", "PARKING_LOT", ("TRAIN_STATION", "PARKING_LOT"),
        ("ac22c", "ac22c", "dc150"), hours="247c",
    ),
    _Site(
        "DHG", "Binckhorst", "Binckhorstlaan 117", "Den Haag", "2516 BA", "NLD",
        "52.076830", "4.335720", "PARKING_LOT", ("SUPERMARKET", "CARPOOL_PARKING"),
        ("ac11s", "ac11s", "ac11s"),
    ),
)

_DEU: Final = (
    _Site(
        "BPP", "Tiefgarage Potsdamer Platz", "Linkstraße 12", "Berlin", "10785", "DEU",
        "52.506940", "13.373260", "UNDERGROUND_GARAGE",
        ("MALL", "METRO_STATION", "TRAIN_STATION", "RESTAURANT"),
        ("ac22c", "ac22c", "ac22c", "dc150", "dc50_triple"), hours="garage", state="Berlin",
        suboperator="Hauptstadt Parken GmbH",
        directions=(
            ("de", "Einfahrt über die Linkstraße, Ladeplätze auf Ebene -2 direkt neben den Aufzügen."),
            ("en", "Enter from Linkstraße; the chargers are on level -2 right next to the lifts."),
        ),
        related=(("52.507720", "13.372410", "Einfahrt Linkstraße"),),
    ),
    _Site(
        "STV", "Frischemarkt Vaihingen", "Hauptstraße 36", "Stuttgart", "70563", "DEU",
        "48.729550", "9.107760", "PARKING_LOT", ("SUPERMARKET",),
        ("ac11s", "ac11s", "dc50_duo"), hours="shop", energy="green", state="Baden-Württemberg",
        restrictions=("CUSTOMERS",), owner="Frischemarkt Vaihingen GmbH", statuses=((2, "PLANNED"),),
        directions=(("de", "Kundenparkplatz hinter dem Markt, Zufahrt über die Robert-Leicht-Straße."),),
    ),
    _Site(
        "A9F", "Rastanlage Fürholzen West (A9)", "Rastanlage Fürholzen West, BAB 9", "Neufahrn bei Freising",
        "85376", "DEU", "48.352600", "11.617550", "ALONG_MOTORWAY", ("FUEL_STATION", "RESTAURANT", "WIFI"),
        ("dc300", "dc300", "dc150", "dc150", "dc50_triple", "dc_tesla"), energy="green", state="Bayern",
        suboperator="Autobahn Rastbetriebe Süd GmbH",
        directions=(
            ("de", "Nur aus Fahrtrichtung München erreichbar. Schnellladepark neben dem Rasthaus."),
            ("en", "Only reachable when driving towards Munich. Charging hub next to the restaurant."),
        ),
    ),
    _Site(
        "HHC", "HafenCity Am Sandtorkai", "Am Sandtorkai 40", "Hamburg", "20457", "DEU",
        "53.543500", "9.988850", "ON_STREET", ("MUSEUM", "RESTAURANT", "BIKE_SHARING"),
        ("ac22s", "ac22s"), state="Hamburg", restrictions=("EV_ONLY",),
    ),
    _Site(
        "MOP", "Olympiapark Parkplatz Nord", "Spiridon-Louis-Ring 3", "München", "80809", "DEU",
        "48.173270", "11.546470", "PARKING_LOT", ("SPORT", "RECREATION_AREA", "NATURE"),
        ("ac22s", "ac22s", "ac22s", "ac22s", "dc50_triple"), hours="247c", state="Bayern",
    ),
    _Site(
        "KDM", "Parkhaus Messe Deutz", "Messeplatz 1", "Köln", "50679", "DEU",
        "50.946960", "6.983060", "PARKING_GARAGE", ("TRAIN_STATION", "HOTEL"),
        ("ac22c", "ac22c", "ac22c", "ac22c", "scooter"), hours="garage", state="Nordrhein-Westfalen",
    ),
    _Site(
        "FFW", "Bockenheimer Landstraße", "Bockenheimer Landstraße 51", "Frankfurt am Main", "60325", "DEU",
        "50.116650", "8.664680", "ON_STREET", ("METRO_STATION", "CAFE"),
        ("ac11s", "ac11s"), state="Hessen", restrictions=("EV_ONLY",),
    ),
    _Site(
        "LEJ", "Parkhaus Hauptbahnhof Ost", "Willy-Brandt-Platz 7", "Leipzig", "04109", "DEU",
        "51.345710", "12.382250", "PARKING_GARAGE", ("TRAIN_STATION", "TRAM_STOP", "TAXI_STAND"),
        ("ac22c", "ac22c", "dc150"), hours="garage", state="Sachsen",
    ),
)

_BEL: Final = (
    _Site(
        "BXM", "Parking Gare du Midi", "Rue de France 32", "Saint-Gilles", "1060", "BEL",
        "50.835700", "4.335800", "UNDERGROUND_GARAGE", ("TRAIN_STATION", "METRO_STATION", "TAXI_STAND"),
        ("ac22c", "ac22c", "ac22c", "dc150", "dc50_triple"), language="fr",
        directions=(
            ("fr", "Entrée par la rue de France, bornes au niveau -1 près de la sortie piétonne "
                   "vers la gare."),
            ("nl", "Inrit via de Frankrijkstraat, laadpalen op niveau -1 bij de voetgangersuitgang "
                   "naar het station."),
            ("en", "Enter from Rue de France; chargers on level -1 near the pedestrian exit to the station."),
        ),
        related=(("50.836410", "4.334620", "Entrée rue de France"),),
    ),
    _Site(
        "ANR", "Eilandje", "Londenstraat 41", "Antwerpen", "2000", "BEL",
        "51.229580", "4.405320", "ON_STREET", ("MUSEUM", "RESTAURANT"),
        ("ac11s", "ac11s"), energy="green", restrictions=("EV_ONLY",), owner="Stad Antwerpen",
    ),
    _Site(
        "GNT", "Parking Gent-Sint-Pieters", "Koningin Maria Hendrikaplein 65", "Gent", "9000", "BEL",
        "51.035650", "3.710290", "PARKING_GARAGE", ("TRAIN_STATION", "BIKE_SHARING", "TRAM_STOP"),
        ("ac11c", "ac11c", "ac11c", "ac11c", "scooter"), hours="garage",
        related=(("51.036120", "3.709450", "Inrit Fabiolalaan"),),
    ),
    _Site(
        "LVN", "Vaartkom", "Vaartkom 35", "Leuven", "3000", "BEL",
        "50.888100", "4.706040", "ON_STREET", ("RESTAURANT", "CAFE"),
        ("ac22s", "ac22s"), hours="247c", restrictions=("EV_ONLY",),
    ),
    _Site(
        "LGG", "Liège-Guillemins", "Place des Guillemins 2", "Liège", "4000", "BEL",
        "50.624510", "5.566600", "PARKING_LOT", ("TRAIN_STATION", "BUS_STOP"),
        ("ac22s", "ac22s", "dc50_duo"), energy="green", language="fr",
    ),
    _Site(
        "E40", "Aire de Waremme (E40)", "Autoroute E40, aire de Waremme", "Waremme", "4300", "BEL",
        "50.695900", "5.229500", "ALONG_MOTORWAY", ("FUEL_STATION", "CAFE"),
        ("dc300", "dc150", "dc150", "dc50_triple"), energy="green", language="fr",
    ),
)

_FRA: Final = (
    _Site(
        "PBY", "Parking Bercy Village", "28 Rue François Truffaut", "Paris", "75012", "FRA",
        "48.833250", "2.386550", "UNDERGROUND_GARAGE", ("RESTAURANT", "MALL", "METRO_STATION"),
        ("ac22c", "ac22c", "ac22c", "ac22c", "scooter", "dc50_duo"), hours="garage", state="Île-de-France",
        suboperator="Parcs Urbains de Paris SAS", statuses=((4, "REMOVED"),),
        directions=(("fr", "Accès par la rue François Truffaut, bornes au niveau -1, allée C."),),
        related=(("48.833610", "2.385870", "Entrée rue François Truffaut"),),
    ),
    _Site(
        "LYS", "Parking Part-Dieu Villette", "17 Rue du Docteur Bouchut", "Lyon", "69003", "FRA",
        "45.761010", "4.856220", "PARKING_GARAGE", ("TRAIN_STATION", "MALL", "TRAM_STOP"),
        ("ac22c", "ac22c", "ac22c", "dc150"), state="Auvergne-Rhône-Alpes",
    ),
    _Site(
        "LIL", "Centre Euralille", "100 Centre Commercial Euralille", "Lille", "59777", "FRA",
        "50.637050", "3.074400", "UNDERGROUND_GARAGE", ("MALL", "SUPERMARKET", "TRAIN_STATION"),
        ("ac22s", "ac22s", "ac22s", "dc50_triple"), hours="mall", state="Hauts-de-France",
        restrictions=("CUSTOMERS",), owner="Euralille Commerces SNC",
    ),
    _Site(
        "BOD", "Bassins à Flot", "12 Quai Armand Lalande", "Bordeaux", "33300", "FRA",
        "44.866200", "-0.551400", "ON_STREET", ("MUSEUM", "RESTAURANT", "TRAM_STOP"),
        ("ac22s", "ac22s"), state="Nouvelle-Aquitaine", restrictions=("EV_ONLY",), energy=None,
    ),
    _Site(
        "A6B", "Aire de Beaune-Tailly (A6)", "Autoroute A6, aire de Beaune-Tailly", "Tailly", "21190", "FRA",
        "46.985400", "4.770600", "ALONG_MOTORWAY", ("FUEL_STATION", "RESTAURANT", "RECREATION_AREA"),
        ("dc300", "dc300", "dc150", "dc50_ccs1"), state="Bourgogne-Franche-Comté",
        suboperator="Autoroutes Services Bourgogne SAS",
    ),
)

_PRT: Final = (
    _Site(
        "LPN", "Parque das Nações Oriente", "Avenida Dom João II 40", "Lisboa", "1990-094", "PRT",
        "38.768000", "-9.095000", "UNDERGROUND_GARAGE", ("MALL", "METRO_STATION", "TRAIN_STATION"),
        ("ac22c", "ac22c", "ac22c", "dc150", "scooter"), energy="green_sources",
        directions=(("pt", "Entrada pela Avenida Dom João II, postos de carregamento no piso -1."),
                    ("en", "Enter from Avenida Dom João II; chargers on level -1.")),
        related=(("38.767420", "-9.096130", "Entrada Avenida Dom João II"),),
    ),
    _Site(
        "OPB", "Avenida da Boavista", "Avenida da Boavista 1277", "Porto", "4100-130", "PRT",
        "41.157800", "-8.641300", "ON_STREET", ("BUS_STOP", "CAFE"),
        ("ac22s", "ac22s"), restrictions=("EV_ONLY",), energy=None,
    ),
    _Site(
        "FAO", "Aeroporto de Faro P2", "Aeroporto de Faro", "Faro", "8006-901", "PRT",
        "37.017600", "-7.968100", "PARKING_LOT", ("AIRPORT", "TAXI_STAND", "BUS_STOP"),
        ("ac22s", "ac22s", "dc50_ccs1", "dc_tesla"), hours="247c", energy="green",
        suboperator="Parques Aeroporto Algarve, S.A.",
    ),
    _Site(
        "CBR", "Coimbra Baixa", "Avenida Fernão de Magalhães 200", "Coimbra", "3000-176", "PRT",
        "40.211000", "-8.429000", "PARKING_LOT", ("TRAIN_STATION", "SUPERMARKET"),
        ("ac11s", "ac11s", "dc50_duo"), hours="shop7", restrictions=("CUSTOMERS",),
        owner="Mercado da Baixa, Lda.",
    ),
)

_GBR: Final = (
    _Site(
        "KGX", "King's Cross Goods Way Car Park", "Goods Way", "London", "N1C 4UR", "GBR",
        "51.535100", "-0.125300", "UNDERGROUND_GARAGE", ("TRAIN_STATION", "METRO_STATION", "RESTAURANT"),
        ("ac7s", "ac7s", "ac7s", "dc150", "scooter"), suboperator="Central London Car Parks Ltd",
        directions=(("en", "Enter from Goods Way; the chargers are on level B1 next to the cycle store."),),
        related=(("51.535620", "-0.124480", "Goods Way entrance"),),
    ),
    _Site(
        "MAN", "Piccadilly Station Car Park", "Ducie Street", "Manchester", "M1 2JW", "GBR",
        "53.479700", "-2.229500", "PARKING_GARAGE", ("TRAIN_STATION", "TRAM_STOP", "TAXI_STAND"),
        ("ac7s", "ac7s", "ac7s", "ac7s"), hours="garage",
    ),
    _Site(
        "BRS", "Temple Quay Office Car Park", "Avon Street", "Bristol", "BS2 0PS", "GBR",
        "51.451300", "-2.582600", "PARKING_LOT", ("PARKING_LOT",),
        ("ac7s", "ac7s", "ac7s", "ac7s"), hours="office", owner="Temple Quay Estates Ltd",
        publish_to=(
            (("visual_number", "GB-RCE-C98765432-1"), ("issuer", "Temple Quay Estates Ltd")),
            (("group_id", "RCP-TQE-STAFF"),),
        ),
        directions=(("en", "Staff car park: use the barrier on Avon Street and show your access card."),),
    ),
    _Site(
        "EDI", "Ocean Terminal", "Ocean Drive", "Edinburgh", "EH6 6JJ", "GBR",
        "55.980500", "-3.178900", "PARKING_GARAGE", ("MALL", "CAFE", "BUS_STOP"),
        ("ac7s", "ac7s", "dc50_triple"), state="Scotland", energy="green",
    ),
    _Site(
        "LFE", "Leicester Forest East Services (M1)", "M1 between junctions 21 and 21A", "Leicester",
        "LE3 3GB", "GBR", "52.621500", "-1.212700", "ALONG_MOTORWAY", ("FUEL_STATION", "RESTAURANT", "WIFI"),
        ("dc300", "dc150", "dc150", "dc50_triple"), energy="green",
        suboperator="Motorway Rest Areas UK Ltd",
    ),
)


def _interleave(*groups: tuple[_Site, ...]) -> tuple[_Site, ...]:
    """Round-robin over the countries, so that any prefix of the list mixes countries."""
    out: list[_Site] = []
    for index in range(max(len(group) for group in groups)):
        out.extend(group[index] for group in groups if index < len(group))
    return tuple(out)


_SITES: Final = _interleave(_NLD, _DEU, _BEL, _FRA, _PRT, _GBR)

# --------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------


def _fmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _micro(text: str) -> int:
    """'52.088970' -> 52088970 (micro-degrees), exactly, without float rounding."""
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    value = int(whole) * 1_000_000 + int(fraction.ljust(6, "0")[:6])
    return -value if negative else value


def _degrees(micro: int) -> str:
    sign = "-" if micro < 0 else ""
    return f"{sign}{abs(micro) // 1_000_000}.{abs(micro) % 1_000_000:06d}"


def _geo(latitude: int, longitude: int) -> dict[str, Any]:
    return {"latitude": _degrees(latitude), "longitude": _degrees(longitude)}


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _image(
    url: str, category: str, kind: str, width: int, height: int, thumb: tuple[int, int]
) -> dict[str, Any]:
    stem, _, extension = url.rpartition(".")
    return {
        "url": url,
        "thumbnail": f"{stem}-{thumb[0]}x{thumb[1]}.{extension}",
        "category": category,
        "type": kind,
        "width": width,
        "height": height,
    }


def _logo(url: str, category: str) -> dict[str, Any]:
    return _image(url, category, "png", 512, 512, (128, 128))


def _business(name: str, category: str) -> dict[str, Any]:
    site = f"https://www.{_slug(name)}.example"
    return {"name": name, "website": site, "logo": _logo(f"{site}/logo.png", category)}


def _local(tz: ZoneInfo, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def _regular(days: range, begin: str, end: str) -> list[dict[str, Any]]:
    return [{"weekday": weekday, "period_begin": begin, "period_end": end} for weekday in days]


def _opening_times(kind: str, time_zone: str, base: datetime) -> tuple[dict[str, Any], bool | None]:
    """Hours and charging_when_closed. Regular hours are local; exceptions are UTC (Hours class)."""
    tz = ZoneInfo(time_zone)
    today = base.astimezone(tz).date()
    sunday = today + timedelta(days=7 + (6 - today.weekday()))  # the Sunday of the week after base_time's
    closed_day = today + timedelta(days=17)
    if closed_day.weekday() >= 5:  # a closure on a working day, the following Monday
        closed_day += timedelta(days=7 - closed_day.weekday())
    maintenance = {  # a night of grid maintenance
        "period_begin": _fmt(_local(tz, today + timedelta(days=9), 1)),
        "period_end": _fmt(_local(tz, today + timedelta(days=9), 5)),
    }
    whole_day = {
        "period_begin": _fmt(_local(tz, closed_day, 0)),
        "period_end": _fmt(_local(tz, closed_day + timedelta(days=1), 0)),
    }
    if kind == "247":
        return {"twentyfourseven": True}, None
    if kind == "247c":
        return {"twentyfourseven": True, "exceptional_closings": [maintenance]}, True
    if kind == "garage":
        hours = _regular(range(1, 6), "06:00", "23:30") + _regular(range(6, 7), "07:00", "23:30")
        hours += _regular(range(7, 8), "09:00", "21:00")
        return {"twentyfourseven": False, "regular_hours": hours, "exceptional_closings": [whole_day]}, True
    if kind == "shop":  # closed on Sundays, one shopping Sunday
        opening = {"period_begin": _fmt(_local(tz, sunday, 13)), "period_end": _fmt(_local(tz, sunday, 18))}
        hours = _regular(range(1, 7), "07:00", "22:00")
        return {"twentyfourseven": False, "regular_hours": hours, "exceptional_openings": [opening]}, False
    if kind == "shop7":
        return {"twentyfourseven": False, "regular_hours": _regular(range(1, 8), "08:00", "22:00")}, False
    if kind == "mall":
        opening = {"period_begin": _fmt(_local(tz, sunday, 11)), "period_end": _fmt(_local(tz, sunday, 19))}
        hours = _regular(range(1, 7), "09:00", "20:30")
        return {
            "twentyfourseven": False,
            "regular_hours": hours,
            "exceptional_openings": [opening],
            "exceptional_closings": [maintenance],
        }, False
    if kind == "office":
        hours = _regular(range(1, 6), "07:00", "19:00")
        return {"twentyfourseven": False, "regular_hours": hours, "exceptional_closings": [whole_day]}, True
    raise ValueError(f"unknown opening hours kind {kind!r}")


def _energy_mix(kind: str | None, country: _Country) -> dict[str, Any] | None:
    if kind is None:
        return None
    if kind == "green":
        return {
            "is_green_energy": True,
            "supplier_name": country.green_supplier,
            "energy_product_name": country.green_product,
        }
    if kind == "green_sources":  # own solar roof plus a wind contract
        return {
            "is_green_energy": True,
            "energy_sources": [{"source": "SOLAR", "percentage": 35}, {"source": "WIND", "percentage": 65}],
            "environ_impact": [
                {"category": "NUCLEAR_WASTE", "amount": 0},
                {"category": "CARBON_DIOXIDE", "amount": 0},
            ],
            "supplier_name": country.green_supplier,
            "energy_product_name": country.green_product,
        }
    if kind == "grid":
        impact: list[dict[str, Any]] = [{"category": "CARBON_DIOXIDE", "amount": country.co2}]
        if country.nuclear_waste is not None:
            impact.append({"category": "NUCLEAR_WASTE", "amount": country.nuclear_waste})
        return {
            "is_green_energy": False,
            "energy_sources": [{"source": source, "percentage": share} for source, share in country.grid_mix],
            "environ_impact": impact,
        }
    raise ValueError(f"unknown energy mix kind {kind!r}")


def _capabilities(connectors: tuple[_Conn, ...], kind: str) -> list[str]:
    caps = {"REMOTE_START_STOP_CAPABLE", "RFID_READER"}
    if kind != "scooter":
        caps |= {"CHARGING_PROFILE_CAPABLE", "TOKEN_GROUP_CAPABLE"}
    if any(conn.power_type == "DC" for conn in connectors):
        caps |= {"RESERVABLE", "CONTACTLESS_CARD_SUPPORT", "CREDIT_CARD_PAYABLE", "DEBIT_CARD_PAYABLE"}
        if max(conn.max_electric_power for conn in connectors) > 50000:
            caps |= {"CHARGING_PREFERENCES_CAPABLE", "CHIP_CARD_SUPPORT", "PED_TERMINAL"}
    elif all(conn.format == "CABLE" for conn in connectors):
        caps.add("RESERVABLE")  # wallboxes in garages
    if any(conn.format == "SOCKET" for conn in connectors):
        caps.add("UNLOCK_CAPABLE")
    if len(connectors) > 1:
        caps.add("START_SESSION_CONNECTOR_REQUIRED")
    return [cap for cap in _CAPABILITIES if cap in caps]


def _tariff_ids(conn: _Conn, plan: str, ad_hoc: bool, suffix: str) -> list[str]:
    current = "AC" if conn.power_type.startswith("AC") else "DC"
    if plan == "free":
        ids = ["TARIFF-FREE"]
    elif current == "AC":
        ids = ["TARIFF-AC-DEST" if plan == "dest" else "TARIFF-AC-STD"]
    else:
        ids = ["TARIFF-DC-HPC" if conn.max_electric_power > 50000 else "TARIFF-DC-FAST"]
    if ad_hoc and plan != "free":
        ids.append(f"TARIFF-{current}-ADHOC")
    return [tariff_id + suffix for tariff_id in ids]


def _floor(site: _Site, country: _Country, index: int) -> str | None:
    if site.parking_type == "UNDERGROUND_GARAGE":
        if country.alpha2 == "GB":
            return "B1"
        return "-1" if index < 3 else "-2"
    if site.parking_type == "PARKING_GARAGE":
        return f"L{1 + index // 3}" if country.alpha2 == "GB" else str(1 + index // 3)
    if site.parking_type == "PARKING_LOT":
        return "0"
    return None


_BAY_TEXT: Final = {
    "nl": "Niveau {floor}, parkeervak {bay}",
    "de": "Ebene {floor}, Stellplatz {bay}",
    "fr": "Niveau {floor}, place {bay}",
    "pt": "Piso {floor}, lugar {bay}",
    "en": "Level {floor}, bay {bay}",
}


def _schedule(status: str, running: int, updated: datetime) -> list[dict[str, Any]]:
    def at(days: int, hour: int) -> datetime:
        return (updated + timedelta(days=days)).replace(hour=hour, minute=0, second=0)

    if status == "PLANNED":  # commissioning
        return [{"period_begin": _fmt(at(12, 6)), "status": "AVAILABLE"}]
    if status == "OUTOFORDER":  # repair booked
        return [{"period_begin": _fmt(at(2, 10)), "status": "AVAILABLE"}]
    if status == "AVAILABLE" and running % 13 == 6:  # firmware update window
        return [{"period_begin": _fmt(at(5, 2)), "period_end": _fmt(at(5, 4)), "status": "INOPERATIVE"}]
    if status == "AVAILABLE" and running % 46 == 18:  # announced decommissioning
        return [{"period_begin": _fmt(at(30, 0)), "status": "REMOVED"}]
    return []


# --------------------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------------------


def _connectors(
    connectors: tuple[_Conn, ...],
    country: _Country,
    site: _Site,
    ad_hoc: bool,
    evse_updated: datetime,
    salt: int,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, conn in enumerate(connectors):
        standard = country.domestic if conn.standard == "DOMESTIC" else conn.standard
        amperage = country.domestic_amps if conn.standard == "DOMESTIC" else conn.max_amperage
        power = conn.max_voltage * amperage if conn.standard == "DOMESTIC" else conn.max_electric_power
        if index == 0 and salt % 3 == 0:
            updated = evse_updated  # e.g. a tariff change that touched the EVSE as well
        else:
            age = timedelta(days=3 + (salt + 5 * index) % 25, hours=index, minutes=salt % 47)
            updated = evse_updated - age
        connector: dict[str, Any] = {
            "id": str(index + 1),
            "standard": standard,
            "format": conn.format,
            "power_type": conn.power_type,
            "max_voltage": conn.max_voltage,
            "max_amperage": amperage,
            "max_electric_power": power,
            "tariff_ids": _tariff_ids(conn, site.plan, ad_hoc, country.tariff_suffix),
        }
        if ad_hoc or conn.power_type == "DC":
            connector["terms_and_conditions"] = f"{_WEB}/{country.alpha2.lower()}/terms"
        connector["last_updated"] = _fmt(updated)
        out.append(connector)
    return out


def _evses(
    site: _Site, country: _Country, number: int, party_id: str, suffix: str, position: tuple[int, int],
    updated: datetime, running: int,
) -> list[dict[str, Any]]:
    lat, lon = position
    language = site.language or country.language
    statuses = dict(site.statuses)
    # One EVSE just changed status (which bumped the Location); every fourth Location changed itself.
    hot = None if number % 4 == 0 else number % len(site.evses)
    out: list[dict[str, Any]] = []
    for index, kind in enumerate(site.evses):
        connectors = _EVSE_KINDS[kind]
        capabilities = _capabilities(connectors, kind)
        status = statuses.get(index, _STATUS_CYCLE[(running + index) % len(_STATUS_CYCLE)])
        if status == "RESERVED" and "RESERVABLE" not in capabilities:
            status = "CHARGING"
        evse_updated = updated if index == hot else updated - timedelta(
            hours=2 + 7 * index + number % 5, minutes=(13 * index + number) % 60
        )
        uid = f"LOC{number:04d}-{index + 1}"
        evse: dict[str, Any] = {
            "uid": uid,
            "evse_id": f"{country.alpha2}*{party_id}*E{number:04d}*{index + 1}",
            "status": status,
        }
        schedule = _schedule(status, running + index, updated)
        if schedule:
            evse["status_schedule"] = schedule
        evse["capabilities"] = capabilities
        ad_hoc = "CREDIT_CARD_PAYABLE" in capabilities
        evse["connectors"] = _connectors(connectors, country, site, ad_hoc, evse_updated, number + index)
        floor = _floor(site, country, index)
        if floor is not None:
            evse["floor_level"] = floor
        evse["coordinates"] = _geo(lat + 40 * (index + 1), lon + (25 if index % 2 else -25) * (index + 1))
        evse["physical_reference"] = f"{site.code}{suffix}-{index + 1:02d}"
        if site.parking_type in _GARAGES and floor is not None:
            text = _BAY_TEXT[language].format(floor=floor, bay=11 + index)
            evse["directions"] = [{"language": language, "text": text}]
        restrictions = list(site.restrictions)
        if kind == "scooter":
            restrictions = ["MOTORCYCLES"]
        elif index == 0 and site.parking_type in _GARAGES and len(site.evses) >= 3:
            restrictions = ["EV_ONLY", "DISABLED"]
        if restrictions:
            evse["parking_restrictions"] = restrictions
        if any(conn.power_type == "DC" for conn in connectors):
            photo = f"{_CDN}/img/evses/{uid}/charger.jpg"
            evse["images"] = [_image(photo, "CHARGER", "jpeg", 1200, 1600, (150, 200))]
        evse["last_updated"] = _fmt(evse_updated)
        out.append(evse)
    return out


def _location(
    site: _Site, number: int, variant: int, country_code: str, party_id: str, updated: datetime,
    base: datetime, running: int,
) -> dict[str, Any]:
    country = _COUNTRIES[site.country]
    language = site.language or country.language
    suffix = "" if variant == 0 else chr(ord("A") + (variant - 1) % 26)
    shift = 1370 * variant  # later variants: a neighbouring car park, about 150 m further north-east
    lat, lon = _micro(site.latitude) + shift, _micro(site.longitude) + shift
    location_id = f"LOC{number:04d}"
    location: dict[str, Any] = {
        "country_code": country_code,
        "party_id": party_id,
        "id": location_id,
        "publish": not site.publish_to,
    }
    if site.publish_to:
        location["publish_allowed_to"] = [dict(token) for token in site.publish_to]
    location["name"] = site.name if variant == 0 else f"{site.name} {suffix}"
    location["address"] = site.address
    location["city"] = site.city
    if site.postal_code is not None:
        location["postal_code"] = site.postal_code
    if site.state is not None:
        location["state"] = site.state
    location["country"] = site.country
    location["coordinates"] = _geo(lat, lon)
    if site.related:
        location["related_locations"] = [
            {**_geo(_micro(lat_) + shift, _micro(lon_) + shift), "name": {"language": language, "text": name}}
            for lat_, lon_, name in site.related
        ]
    location["parking_type"] = site.parking_type
    location["evses"] = _evses(site, country, number, party_id.upper(), suffix, (lat, lon), updated, running)
    if site.directions:
        location["directions"] = [{"language": lang, "text": text} for lang, text in site.directions]
    location["operator"] = {
        "name": country.operator,
        "website": f"{_WEB}/{country.alpha2.lower()}",
        "logo": _logo(f"{_CDN}/logos/operator-{country.alpha2.lower()}.png", "OPERATOR"),
    }
    if site.suboperator is not None:
        location["suboperator"] = _business(site.suboperator, "OPERATOR")
    if site.owner is not None:
        location["owner"] = _business(site.owner, "OWNER")
    location["facilities"] = list(site.facilities)
    location["time_zone"] = country.time_zone
    opening_times, charging_when_closed = _opening_times(site.hours, country.time_zone, base)
    location["opening_times"] = opening_times
    if charging_when_closed is not None:
        location["charging_when_closed"] = charging_when_closed
    if site.parking_type != "ON_STREET":
        folder = f"{_CDN}/img/locations/{location_id}"
        images = [_image(f"{folder}/overview.jpg", "LOCATION", "jpeg", 1600, 1200, (200, 150))]
        if site.parking_type in _GARAGES:
            images.append(_image(f"{folder}/entrance.jpg", "ENTRANCE", "jpeg", 1280, 960, (200, 150)))
        images.append(_logo(f"{_CDN}/logos/network.png", "NETWORK"))
        location["images"] = images
    energy_mix = _energy_mix(site.energy, country)
    if energy_mix is not None:
        location["energy_mix"] = energy_mix
    location["last_updated"] = _fmt(updated)
    return location


def seed_locations(
    *,
    country_code: str = "NL",
    party_id: str = "RCP",
    count: int = 30,
    base_time: datetime = datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
) -> list[dict[str, Any]]:
    """OCPI 2.2.1 Location objects of the reference CPO, ordered by ``last_updated`` ascending.

    The first Location has ``last_updated == base_time`` (seconds precision; a naive ``base_time`` is read as
    UTC); each next one is 3 to 8 hours later. The first 38 Locations are distinct sites in six countries;
    beyond that the sites repeat as neighbouring car parks (name suffix "A", "B", ...; shifted coordinates).
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    if not re.fullmatch(r"[A-Za-z]{2}", country_code):
        raise ValueError(f"country_code must be two letters, got {country_code!r}")
    if not re.fullmatch(r"[A-Za-z0-9]{3}", party_id):
        raise ValueError(f"party_id must be three letters or digits, got {party_id!r}")
    base = (base_time if base_time.tzinfo is not None else base_time.replace(tzinfo=UTC)).astimezone(UTC)
    base = base.replace(microsecond=0)
    locations: list[dict[str, Any]] = []
    updated = base
    running = 0  # EVSE counter across all Locations
    for index in range(count):
        if index:
            step = timedelta(hours=3 + (index * 7) % 5, minutes=(index * 37) % 60, seconds=(index * 13) % 60)
            updated += step
        site = _SITES[index % len(_SITES)]
        variant = index // len(_SITES)
        locations.append(_location(site, index + 1, variant, country_code, party_id, updated, base, running))
        running += len(site.evses)
    return locations


def seed_tariff_ids() -> list[str]:
    """Every tariff id that a connector of ``seed_locations()`` can reference, sorted.

    Ids ending in ``-GBP`` are for the United Kingdom (GBP); all others are EUR tariffs.
    """
    ids: set[str] = set()
    for site in _SITES:
        country = _COUNTRIES[site.country]
        for kind in site.evses:
            connectors = _EVSE_KINDS[kind]
            ad_hoc = "CREDIT_CARD_PAYABLE" in _capabilities(connectors, kind)
            for conn in connectors:
                ids.update(_tariff_ids(conn, site.plan, ad_hoc, country.tariff_suffix))
    return sorted(ids)
