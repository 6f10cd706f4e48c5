"""Input formats come from the registry (kind ``input_format``): ingest dispatches through it, the
CLI's ``--input-format`` choices and help are its names, and a third-party distribution adds one
through the ``eventwire.plugins`` entry point group without any change to eventwire."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from io import BytesIO
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire import registry
from eventwire.cli import app
from eventwire.ingest import read
from eventwire.records import RawDocument

HTML = ("<html><head><title>Strike</title></head><body><p>Militants attacked a checkpoint in Kidal on "
        "Monday, the army said.</p></body></html>")
PROSE = "Police arrested 12 protesters in Nairobi on Tuesday after clashes near parliament.\n"


def _warc(path: Path) -> None:
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://news.example/a", "response", payload=BytesIO(HTML.encode()),
                                            http_headers=headers))


@pytest.fixture
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations made by a test stay in the test."""
    monkeypatch.setattr(registry, "_REGISTRIES", {k: dict(v) for k, v in registry._REGISTRIES.items()})


def test_cli_accepts_warc_as_input_format(tmp_path: Path) -> None:
    # No telling extension: only --input-format warc makes this an archive.
    p = tmp_path / "capture.bin"
    _warc(p)
    r = CliRunner().invoke(app, ["split", "--jsonl", "--input-format", "warc", str(p)])
    assert r.exit_code == 0, r.output
    art = json.loads(r.stdout.splitlines()[0])
    assert "Kidal" in art["body"] and art["url"] == "https://news.example/a"


def test_cli_help_and_usage_error_list_the_registered_formats() -> None:
    runner = CliRunner()
    names = registry.names("input_format")
    assert {"text", "html", "jsonl", "warc"} <= set(names)
    r = runner.invoke(app, ["extract", "--input-format", "pdf", "x.txt"])
    assert r.exit_code == 2
    assert "choose one of " + ", ".join(["auto", *names]) in " ".join(r.output.split()).replace("│ ", "")
    assert "auto | " + " | ".join(names) in runner.invoke(app, ["extract", "--help"], terminal_width=200).output


def test_ingest_dispatches_through_the_registry(tmp_path: Path, settings, own_registry) -> None:
    from eventwire.ingest.formats import BytesFormat

    @registry.register("input_format", "shout")
    class Shout(BytesFormat):
        suffixes = (".shout",)
        sniff_rank = 5

        def sniff(self, head: bytes) -> bool:
            return head.startswith(b"!!")

        def parse(self, data: bytes, source: str):
            yield RawDocument(source=source, text=data.decode().lstrip("!").lower(), kind="text", encoding="utf-8")

    by_ext = tmp_path / "a.shout"
    by_ext.write_text(PROSE.upper(), encoding="utf-8")
    by_flag = tmp_path / "b.txt"
    by_flag.write_text(PROSE.upper(), encoding="utf-8")
    sniffed = tmp_path / "c"
    sniffed.write_text("!!" + PROSE.upper(), encoding="utf-8")
    gz_ext = tmp_path / "d.shout.gz"
    import gzip

    gz_ext.write_bytes(gzip.compress(PROSE.upper().encode()))
    docs = list(read([str(by_ext), str(sniffed), str(gz_ext)], settings))
    docs += list(read([str(by_flag)], settings, input_format="shout"))
    assert [d.text for d in docs] == [PROSE.lower()] * 4
    # The built-in fallback still applies: a text file without the marker sniffs as text.
    plain = tmp_path / "e"
    plain.write_text(PROSE.upper(), encoding="utf-8")
    assert [d.text for d in read([str(plain)], settings)] == [PROSE.upper()]


PLUGIN = '''
from eventwire.ingest.formats import BytesFormat
from eventwire.records import RawDocument
from eventwire.registry import register


@register("input_format", "reversed")
class Reversed(BytesFormat):
    """Each line is written backwards."""

    suffixes = (".desrever",)

    def parse(self, data, source):
        text = "\\n".join(line[::-1] for line in data.decode("utf-8").splitlines()) + "\\n"
        yield RawDocument(source=source, text=text, kind="text", encoding="utf-8")
'''


def _fake_distribution(root: Path) -> None:
    """A distribution as pip would leave it: a module beside its dist-info with an entry point."""
    (root / "fake_eventwire_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = root / "fake_eventwire_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-eventwire-plugin\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text("[eventwire.plugins]\nreversed = fake_eventwire_plugin\n",
                                           encoding="utf-8")


def test_a_plugin_distribution_adds_an_input_format(tmp_path: Path) -> None:
    plug = tmp_path / "site"
    plug.mkdir()
    _fake_distribution(plug)
    f = tmp_path / "story.desrever"
    f.write_text("\n".join(line[::-1] for line in PROSE.splitlines()) + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(plug), os.environ.get("PYTHONPATH")) if p),
               EVENTWIRE_DB=f"sqlite:///{tmp_path / 't.db'}")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "eventwire", *args], capture_output=True, text=True, env=env,
                              timeout=300, cwd=tmp_path)

    by_ext = cli("split", "--jsonl", str(f))
    assert by_ext.returncode == 0, by_ext.stderr
    assert json.loads(by_ext.stdout.splitlines()[0])["body"].startswith("Police arrested 12 protesters")
    by_flag = cli("split", "--jsonl", "--input-format", "reversed", str(f))
    assert by_flag.returncode == 0, by_flag.stderr
    assert "reversed" in " ".join(cli("split", "--help").stdout.split())


def test_a_plugin_is_loaded_once_at_lookup(tmp_path: Path, settings, own_registry,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_distribution(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "_plugins_loaded", False)
    monkeypatch.delitem(sys.modules, "fake_eventwire_plugin", raising=False)
    f = tmp_path / "story.desrever"
    f.write_text(PROSE[::-1].strip("\n") + "\n", encoding="utf-8")
    [doc] = read([str(f)], settings)
    assert isinstance(doc, RawDocument) and doc.text == PROSE
    del sys.modules["fake_eventwire_plugin"]
    assert "reversed" in registry.names("input_format")
    assert "fake_eventwire_plugin" not in sys.modules  # the second lookup imported nothing again


def test_a_broken_plugin_is_a_config_error_naming_it(tmp_path: Path, own_registry,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from eventwire.errors import ConfigError

    info = tmp_path / "broken_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[eventwire.plugins]\nbroken = no_such_module_here\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "_plugins_loaded", False)
    monkeypatch.setattr(registry, "_plugin_error", None)
    for _ in range(2):  # raised again on the next lookup, not skipped after the first
        with pytest.raises(ConfigError, match="plug-in 'broken'.*broken-plugin.*no_such_module_here"):
            registry.names("input_format")
