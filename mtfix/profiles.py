"""Profiles: named bundles of the search's settings, recorded in every report.

``news`` (the default) is for machine-translated news: only the sentences a detector
flagged are searched, an edit must be sure and rare words are left alone (MT leaves
foreign words and transliterations, not typos: "califate" is no "climate"), precision
first: a reader who catches one wrong edit stops trusting the others. ``learner`` is for
learners' English: every sentence is searched, the bar is lower and rare words are
spell-corrected (recall first).
A profile's ``signature`` names everything that shapes the output, as a sacrebleu
signature does for a score, so a run on one machine can be reproduced on another.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mtfix.errors import ConfigError


@dataclass(frozen=True)
class Profile:
    """The settings of a named profile."""

    name: str
    search_all: bool  # search every sentence, not only the flagged ones
    margin: float  # nats an edit must gain (with a learned acceptance: the least gain)
    learned: bool  # accept by the acceptance model's probability (``accept.json``)
    spelling: bool  # correct rare words: the spelling proposer and HARPER_SpellCheck's fixes
    context: int = 1  # sentences of the article the LM reads before each (and the headline)
    fragments: bool = True  # the LM searches fragments too (no: rules' fixes only)
    suggest_margin: float | None = None  # the least gain of a suggestion (None: none)

    def signature(self, threshold: float | None = None) -> str:
        """``profile:news|search:flagged|margin:4|accept:margin|context:1|spelling:no
        |fragments:rules|suggest:2``."""
        accept = "margin" if threshold is None else f"learned@{threshold:g}"
        search = "all" if self.search_all else "flagged"
        spelling = "yes" if self.spelling else "no"
        fragments = "search" if self.fragments else "rules"
        suggest = "none" if self.suggest_margin is None else f"{self.suggest_margin:g}"
        return (f"profile:{self.name}|search:{search}|margin:{self.margin:g}|accept:{accept}"
                f"|context:{self.context}|spelling:{spelling}|fragments:{fragments}"
                f"|suggest:{suggest}")  # fmt: skip


# The least gain of a suggestion, per profile: an edit the guard passes with a gain between
# this and the margin is shown, not applied. Chosen on the tuning halves (see the README of
# eval/results: suggest-margins).
SUGGEST_MARGINS = {"news": 2.0, "learner": 0.5}

PROFILES: dict[str, Profile] = {
    "news": Profile(
        "news", search_all=False, margin=5.0, learned=False, spelling=False, fragments=False,
        suggest_margin=SUGGEST_MARGINS["news"],
    ),
    "learner": Profile(
        "learner", search_all=True, margin=2.0, learned=False, spelling=True,
        suggest_margin=SUGGEST_MARGINS["learner"],
    ),
}
DEFAULT = "news"
# The least gain under the learned acceptance (eval/results/train-accept-2026-12-05.md: the
# model's dev figures at floors 0.5, 1 and 2 nats; 2 changed least where they differ).
LEARNED_FLOOR = 2.0
SPELLING_RULE = "HARPER_SpellCheck"


ACCEPTANCES = ("margin", "learned")


def profile(
    name: str, margin: float | None = None, search_all: bool | None = None,
    context: int | None = None, accept: str | None = None,
) -> Profile:  # fmt: skip
    """The named profile, with a margin, a search scope, a context or an acceptance
    (``margin`` or ``learned``) given explicitly."""
    if name not in PROFILES:
        raise ConfigError(f"unknown profile {name!r}; use one of {', '.join(PROFILES)}")
    if accept is not None and accept not in ACCEPTANCES:
        raise ConfigError(f"unknown acceptance {accept!r}; use one of {', '.join(ACCEPTANCES)}")
    chosen = PROFILES[name]
    learned = chosen.learned if accept is None else accept == "learned"
    if margin is not None and accept is None:  # a margin alone replaces the model
        learned = False
    floor = LEARNED_FLOOR if learned and not chosen.learned else chosen.margin
    chosen = replace(chosen, learned=learned, margin=floor if margin is None else margin)
    if search_all is not None:
        chosen = replace(chosen, search_all=search_all)
    if context is not None:
        chosen = replace(chosen, context=context)
    return chosen
