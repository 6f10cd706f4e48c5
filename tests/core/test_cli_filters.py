"""Filters that fail loudly (issue 15.4): a mistyped filter value is a usage error (exit 2) that
lists the valid values, never "0 events"; countries are taken by name beside their ISO code."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The serve tests' five hand-built events (ESP, SYR, UKR, FRA, ...)."""
    from tests.serve.sample import sample_db

    return sample_db(tmp_path_factory.mktemp("f") / "sample.db")


def run(db: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--db", db, *args])


def _said(r) -> str:  # type: ignore[no-untyped-def]
    """Everything printed, with Rich's error box (borders, wrapping) taken away."""
    return " ".join((r.stderr + r.stdout).replace("│", " ").split())


@pytest.mark.parametrize("cmd", [("events",), ("export", "-f", "csv")])
def test_unknown_plover_type_lists_the_valid_ones(sample_db: str, cmd: tuple[str, ...]) -> None:
    r = run(sample_db, *cmd, "--type", "FOO")
    assert r.exit_code == 2, r.output
    said = _said(r)
    assert "--type" in said and "FOO" in said
    assert all(t in said for t in ("ASSAULT", "PROTEST", "AGREE", "COERCE"))


def test_near_miss_type_gets_a_suggestion(sample_db: str) -> None:
    r = run(sample_db, "events", "--type", "ASSALT")
    assert r.exit_code == 2 and "did you mean ASSAULT" in _said(r)


def test_unknown_acled_type_lists_the_valid_ones(sample_db: str) -> None:
    r = run(sample_db, "events", "--acled-type", "Fights")
    assert r.exit_code == 2, r.output
    assert "Battles" in _said(r) and "Violence against civilians" in _said(r)
    r = run(sample_db, "events", "--json", "--min-confidence", "0", "--acled-type", "protests")
    assert r.exit_code == 0, r.output
    assert [ln for ln in r.stdout.splitlines() if ln.strip()] and '"PROTEST"' in r.stdout
    assert '"ASSAULT"' not in r.stdout


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "2024-02-30", "01/02/2024"])
def test_dates_must_be_iso(sample_db: str, value: str) -> None:
    for opt in ("--from", "--to"):
        r = run(sample_db, "events", opt, value)
        assert r.exit_code == 2, r.output
        assert opt in _said(r) and "YYYY-MM-DD" in _said(r)


def test_country_by_name_or_code(sample_db: str) -> None:
    by_code = run(sample_db, "events", "--json", "--min-confidence", "0", "--country", "SYR")
    assert by_code.exit_code == 0 and by_code.stdout.strip()
    for v in ("Syria", "syria", "Syrian Arab Republic", "syr"):
        r = run(sample_db, "events", "--json", "--min-confidence", "0", "--country", v)
        assert r.exit_code == 0, r.output
        assert r.stdout == by_code.stdout, v


def test_unknown_country_is_a_usage_error(sample_db: str) -> None:
    r = run(sample_db, "events", "--country", "Narnia")
    assert r.exit_code == 2, r.output
    assert "--country" in _said(r) and "Narnia" in _said(r) and "alpha-3" in _said(r)
    r = run(sample_db, "export", "-f", "csv", "--country", "Syrai")
    assert r.exit_code == 2 and "did you mean Syria, SYR" in _said(r)


def test_unknown_certainty_lists_the_valid_ones(sample_db: str) -> None:
    r = run(sample_db, "events", "--certainty", "sure")
    assert r.exit_code == 2 and "asserted" in _said(r) and "hedged" in _said(r)


def test_good_values_still_filter(sample_db: str, tmp_path: Path) -> None:
    r = run(sample_db, "events", "--json", "--min-confidence", "0", "--type", "assault", "--from", "2000",
            "--to", "2100-12-31", "--certainty", "Asserted")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() and all('"ASSAULT"' in ln for ln in r.stdout.splitlines() if ln.strip())
