from __future__ import annotations

import pytest

from eventwire.config import load_settings
from eventwire.errors import ConfigError


def test_layers_file_then_env_then_flags(tmp_path, monkeypatch) -> None:
    cfg = tmp_path / "ew.toml"
    cfg.write_text('db = "sqlite:///from-file.db"\nbatch_size = 7\nmax_bytes = 100\n')
    monkeypatch.setenv("EVENTWIRE_BATCH_SIZE", "9")
    s = load_settings(cfg, max_bytes=5)
    assert (s.db, s.batch_size, s.max_bytes) == ("sqlite:///from-file.db", 9, 5)


def test_invalid_value_names_the_setting(monkeypatch) -> None:
    monkeypatch.setenv("EVENTWIRE_PORT", "99999")
    with pytest.raises(ConfigError, match="port"):
        load_settings()


def test_unknown_key_in_file_is_an_error(tmp_path) -> None:
    cfg = tmp_path / "ew.toml"
    cfg.write_text("dbb = 1\n")
    with pytest.raises(ConfigError, match="dbb"):
        load_settings(cfg)


def test_unreadable_file(tmp_path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("this is = = not toml")
    with pytest.raises(ConfigError, match="bad.toml"):
        load_settings(cfg)


def test_list_setting_from_env(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("EVENTWIRE_KB_PATHS", f"{tmp_path}/a.yaml:{tmp_path}/b.yaml")
    assert load_settings().kb_paths == [f"{tmp_path}/a.yaml", f"{tmp_path}/b.yaml"]
