"""Pages of a naive rendering run together: a skip link starts the next page (issue 12)."""

from __future__ import annotations

import pytest

from eventwire.clean import dump, sections


def _page(topic: list[str], headline: str, n: int) -> list[str]:
    a, b, c, d = topic
    lines = ["Home", "News", "Sport", headline]
    for k in range(n):
        lines.append(
            f"The {a} said on day {k} that the {b} near the {c} would be moved, and officials told "
            f"reporters that the {d} had been checked again before the {a} met the {b} in the morning."
        )
    lines += ["Share", "Contact us", "Follow"]
    return lines


def _dump() -> str:
    first = _page(["harbour", "ferry", "quay", "dockworkers"], "Ferry strike closes the harbour", 30)
    second = _page(["orchestra", "violinist", "concert", "conductor"], "Orchestra returns to the concert hall", 12)
    return "\n".join(["Skip to content", *first, "Skip to main content", *second]) + "\n"


def test_a_skip_link_after_a_long_article_starts_a_new_page() -> None:
    text = _dump()
    parts = dump.split(text)
    assert len(parts) == 2
    assert parts[1].title == "Orchestra returns to the concert hall"
    assert "ferry" in " ".join(parts[0].paragraphs) and "orchestra" not in " ".join(parts[0].paragraphs).lower()
    assert "orchestra" in " ".join(parts[1].paragraphs) and "ferry" not in " ".join(parts[1].paragraphs).lower()
    assert all(not (p.title or "").startswith("Skip") for p in parts)
    sp = dump.explain(text)
    skip = text.splitlines().index("Skip to main content")
    # the link is no headline, and not lost: the furniture of the page it opens
    assert sp.articles[1].roles[skip].startswith("furniture: skip link")
    assert not sp.unplaced()


def test_without_the_skip_signal_the_pages_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    # (the test above can fail: with the signal off, the two pages come out as one article)
    monkeypatch.setattr(sections, "SKIP_LINK", 0.0)
    assert len(dump.split(_dump())) == 1


def test_a_skip_link_after_menus_only_splits_nothing() -> None:
    # menus_first renderings: the link comes after the moved menus, before the page's text
    lines = ["Home", "World news today and tomorrow for you", "Sport", "Skip to content",
             *_page(["harbour", "ferry", "quay", "dockworkers"], "Ferry strike closes the harbour", 20)]
    assert len(dump.split("\n".join(lines))) == 1


_FRENCH = [
    "Le ministère de la Défense a annoncé mardi l’annulation d’un contrat portant sur des systèmes de missiles.",
    "La décision concerne la licence de cent soixante-huit systèmes, pour une valeur estimée à des millions d’euros.",
    "Selon un communiqué publié dans la soirée, le gouvernement a jugé que les conditions n’étaient plus réunies.",
    "Les syndicats de l’entreprise ont demandé une réunion avec la direction pour connaître les suites du dossier.",
    "Le porte-parole du ministère a précisé que d’autres fournisseurs seraient consultés dans les prochaines semaines.",
    "Plusieurs députés de l’opposition ont réclamé des explications sur le coût de cette annulation pour le budget.",
    "La société a indiqué qu’elle étudiait toutes les options, y compris un recours devant les tribunaux du pays.",
]


def test_a_page_in_another_language_after_an_english_one_is_kept() -> None:
    english = _page(["harbour", "ferry", "quay", "dockworkers"], "Ferry strike closes the harbour", 25)
    # (a page footer and the next page's menus between them, as in a rendering of two pages)
    menus = [f"Rubrique {n}" if n % 3 else "Politique Économie International Culture Sport Sciences Société Idées"
             for n in range(30)]
    body = [f"{a} {_FRENCH[(k + 3) % len(_FRENCH)]}" for k, a in enumerate(_FRENCH)]  # two sentences a line
    french = [*menus, "Le ministère annule un contrat de missiles", *body, "Partager", "Contact"]
    text = "\n".join([*english, *french]) + "\n"
    parts = dump.split(text)
    langs = [p.language for p in parts]
    assert "fr" in langs and "en" in langs
    fr = parts[langs.index("fr")]
    assert sum(s in fr.paragraphs for s in body) >= 6  # the French page is not lost as furniture
    assert not any("ferry" in p for p in fr.paragraphs)
    assert dump.other_language(dump.units("\n".join(english)), "en") is None  # an English page alone triggers nothing


def test_a_cookie_banner_is_furniture_and_a_recipe_is_not() -> None:
    banner = "We use cookies to improve your experience on our site. By continuing you accept our cookie policy."
    recipe = "Bake the cookies for ten minutes, then let them cool on the tray before you move them to a rack."
    lines = ["Home", "News", banner, *_page(["harbour", "ferry", "quay", "dockworkers"], "Ferry strike", 12)[3:],
             recipe]
    (art,) = dump.split("\n".join(lines))
    assert banner not in art.paragraphs
    assert recipe in art.paragraphs
