"""Profiles: the settings each names, recorded in the report; every entry point takes one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import mtfix
from mtfix.errors import ConfigError
from mtfix.pipeline import Options, run_settings
from mtfix.profiles import PROFILES, profile

SEED = "samples/lavrov-de-mistura.mt.txt"


def test_news_is_the_default_and_precise() -> None:
    news, learner = profile("news"), profile("learner")
    assert Options().settings() == news
    assert not news.search_all and learner.search_all
    assert learner.margin < news.margin
    assert learner.spelling and not news.spelling


def test_explicit_settings_override_the_profile() -> None:
    chosen = Options(profile="learner", margin=5.0, search_all=False, context=0).settings()
    assert (chosen.name, chosen.margin, chosen.search_all, chosen.context) == (
        "learner", 5.0, False, 0,
    )  # fmt: skip
    assert not chosen.learned


def test_the_learned_acceptance_on_request() -> None:
    from mtfix.pipeline import acceptance

    learned = Options(accept="learned").settings()
    assert learned.learned and learned.margin == 2.0
    rule = acceptance(learned)
    assert rule.signature().startswith("learned:") and rule.floor == 2.0
    assert Options(accept="learned", margin=3.0).settings().margin == 3.0
    assert not Options(accept="margin").settings().learned
    with pytest.raises(ConfigError, match="unknown acceptance"):
        Options(accept="vibes")


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown profile 'poetry'"):
        Options(profile="poetry")
    with pytest.raises(ConfigError, match="unknown profile"):
        mtfix.load(profile="poetry", use_model=False, checker="offline")


@pytest.mark.parametrize("name", list(PROFILES))
def test_the_signature_names_every_setting(name: str) -> None:
    settings = run_settings(Options(profile=name))
    signature = settings["signature"]
    assert signature.startswith(f"profile:{name}|search:")
    for part in ("margin:", "accept:", "context:", "spelling:"):
        assert part in signature
    assert settings["acceptance"].startswith(("margin:", "learned:"))
    assert settings["engine"] in ("float32", "bfloat16")
    assert run_settings(Options(profile=name, use_model=False, fluency=False))["engine"] == "none"


def test_learner_applies_spelling() -> None:
    assert "HARPER_SpellCheck" in Options(profile="learner").allowed_rules()
    assert "HARPER_SpellCheck" not in Options().allowed_rules()


@pytest.mark.parametrize("name", list(PROFILES))
def test_the_report_records_the_profile(name: str) -> None:
    with mtfix.load(profile=name, use_model=False, checker="offline") as fixer:
        report = fixer.fix("He go to a office in Moscow. The talks has ended.")
    assert report.settings["profile"] == name
    assert report.settings["search"] == ("all" if name == "learner" else "flagged")


def test_the_cli_json_report_has_the_settings() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mtfix.cli", "fix", SEED, "--json", "--no-model", "--checker",
         "offline", "--profile", "learner", "-q"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    settings = json.loads(out.stdout)["settings"]
    assert settings["profile"] == "learner"
    assert settings["signature"].startswith("profile:learner|search:all|")
