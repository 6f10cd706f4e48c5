"""ACLED's actor conventions (eventwire.kb.acled) against the codebook's own examples."""

from __future__ import annotations

import pytest

from eventwire.kb import acled as A


def actor(kind: str, country: str | None = None, sector: str | None = None, **kw: str) -> dict[str, str | None]:
    return {"kind": kind, "country": country, "sector": sector, **kw}


@pytest.mark.parametrize(
    ("a3", "on", "want"),
    [
        ("RUS", "2024-05-01", "Military Forces of Russia (2000-)"),
        ("SYR", "2024-05-01", "Military Forces of Syria (2000-2024)"),
        ("SYR", "2025-02-01", "Military Forces of Syria (2024-)"),
        ("USA", "2024-06-01", "Military Forces of the United States (2021-2025)"),
        ("USA", "2025-06-01", "Military Forces of the United States (2025-)"),
        ("JAM", "2024-06-01", "Military Forces of Jamaica"),  # no period in the KB: none written
    ],
)
def test_state_forces_are_named_by_ruling_period(a3: str, on: str, want: str) -> None:
    assert A.state_name("Military Forces", a3, on) == want


def test_codebook_examples_of_categories() -> None:
    # "Protesters (Country)", "Rioters (Country)", "Civilians (Country)", "Unidentified Armed Group (Country)"
    assert A.category("Civilians", "COD") == "Civilians (Democratic Republic of Congo)"
    assert A.category("Unidentified Armed Group", "NGA") == "Unidentified Armed Group (Nigeria)"
    assert A.category("Protesters", "USA") == "Protesters (United States)"


@pytest.mark.parametrize(
    ("one", "two", "etype", "where", "inter"),
    [
        # codebook table 3: 10 sole state forces action
        ([actor("state_forces", "NGA", "MIL")], [], "Strategic developments", "NGA", (1, None, 10)),
        # 12 state forces versus rebels
        ([actor("state_forces", "NGA", "MIL")], [actor("armed_group", "NGA", "REB", entity_id="boko-haram",
                                                       name="Boko Haram")], "Battles", "NGA", (1, 2, 12)),
        # 16 suppression of a peaceful demonstration; 17 arrests by police
        ([actor("state_forces", "NGA", "COP")], [actor("protesters")], "Strategic developments", "NGA", (1, 6, 16)),
        ([actor("state_forces", "NGA", "COP")], [actor("person")], "Strategic developments", "NGA", (1, 7, 17)),
        # 18: a state's military outside its home state is external (Turkey in northern Syria)
        ([actor("state_forces", "TUR", "MIL")], [actor("civilians")], "Violence against civilians", "SYR", (8, 7, 78)),
        # 13: an unnamed opponent in a battle is an unidentified armed group (inter 3)
        ([actor("state_forces", "NGA", "MIL")], [], "Battles", "NGA", (1, 3, 13)),
        # 60: protesters only
        ([actor("unknown")], [], "Protests", "NGA", (6, None, 60)),
    ],
)
def test_inter_and_interaction_codes(one, two, etype, where, inter) -> None:  # type: ignore[no-untyped-def]
    ac = A.acled_actors(one, two, etype, on="2024-05-01", where=where)
    assert (ac.inter1, ac.inter2, ac.interaction) == inter


def test_protest_names_its_organiser_as_associated_actor() -> None:
    party = actor("political_party", "NGA", "PTY", entity_id="apc", name="All Progressives Congress")
    ac = A.acled_actors([party], [], "Protests", on="2024-05-01", where="NGA")
    assert ac.actor1 == "Protesters (Nigeria)" and ac.assoc_actor_1 == "All Progressives Congress"


def test_unknown_things_get_no_acled_name() -> None:
    ac = A.acled_actors([actor("unknown")], [actor("unknown")], "Strategic developments", where="USA")
    assert ac.actor1 is None and ac.actor2 is None and ac.interaction is None


def test_a_lone_named_side_is_actor1_except_for_violence_against_civilians() -> None:
    gov = actor("government", "USA", "GOV")
    ac = A.acled_actors([actor("unknown")], [gov], "Strategic developments", on="2024-05-01", where="USA")
    assert ac.actor1 == "Government of the United States (2021-2025)" and ac.actor2 is None
    assert ac.interaction == 10
    vac = A.acled_actors([], [actor("civilians")], "Violence against civilians", where="NGA")
    assert vac.actor2 == "Civilians (Nigeria)" and vac.actor1 == "Unidentified Armed Group (Nigeria)"
