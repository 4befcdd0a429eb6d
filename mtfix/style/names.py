"""Names across an article: each person or place written one way.

MT works sentence by sentence, so a name transliterated one way in one sentence may come
out another way in the next (Zakharova / Zaharova, Muallem / Moallem) or lose the particle
that belongs to it (de Mistura / Mistura). Name words (capitalised proper nouns, each with
the particle before it) are clustered by a key that knows transliteration variants; a
word right before another name word is a first name, clustered with its surname. A short
form (the surname alone after "Sergey Lavrov") is a normal form, not a variant.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from mtfix.article import NameCluster
from mtfix.detect.lexicon import NAME_PARTICLES
from mtfix.style.romanization import VOWELS, most_systematic

# Month and day names are capitalised proper nouns that are not names of anyone.
NOT_NAMES = frozenset(
    """january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday""".split()
)
SPELLINGS = ((r"kh", "h"), (r"ou", "u"), (r"y", "i"), (r"j", "i"), (r"w", "v"), (r"ph", "f"))
MIN_KEY = 4  # letters a name word needs to be clustered at all
MIN_VOWEL_SWAP = 6  # ... and to match another word one vowel apart (Muallem / Moallem)


@dataclass(frozen=True)
class Mention:
    """One name word in the article: where its particle (if any) starts, where the word
    ends, how it is written, and the first name before it, if any."""

    start: int  # the particle's start where it has one, else the word's
    end: int
    word: str
    particle: str  # "", "de", "al-" ... (lower case)
    first: Mention | None = None
    sentence_start: bool = False

    @property
    def form(self) -> str:
        """How the mention writes the name: particle and word ("de Mistura")."""
        joint = "" if self.particle.endswith("-") else " "
        return f"{self.particle}{joint}{self.word}" if self.particle else self.word


def translit_key(word: str) -> str:
    """The word as its transliteration variants share it: no accents, lower case,
    kh = h, ou = u, y = i, doubled letters single."""
    plain = unicodedata.normalize("NFKD", word)
    key = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    for pattern, repl in SPELLINGS:
        key = re.sub(pattern, repl, key)
    return re.sub(r"(.)\1+", r"\1", key)


def same_name(a: str, b: str) -> bool:
    """Whether two name words are one name written two ways: the same key, or (in long
    words) keys one vowel apart, never at the first letter."""
    ka, kb = translit_key(a), translit_key(b)
    if ka == kb:
        return len(ka) >= MIN_KEY or a.lower() == b.lower()
    if len(ka) != len(kb) or len(ka) < MIN_VOWEL_SWAP:
        return False
    diff = [i for i, (x, y) in enumerate(zip(ka, kb, strict=True)) if x != y]
    return len(diff) == 1 and diff[0] > 0 and {ka[diff[0]], kb[diff[0]]} <= VOWELS


def is_name_word(tok: Token) -> bool:
    """A capitalised proper noun (not an acronym, a month or a day)."""
    text = tok.text
    return (
        tok.pos_ == "PROPN"
        and text.isalpha()
        and text[0].isupper()
        and any(c.islower() for c in text[1:])
        and text.lower() not in NOT_NAMES
        and not (tok.i == 0 and tok.lower_ in NAME_PARTICLES)
    )


def mentions(doc: Doc, offset: int) -> list[Mention]:
    """The name words of one parsed sentence (``offset``: its start in the article)."""
    out: list[Mention] = []
    first: Mention | None = None
    for tok in doc:
        if not is_name_word(tok):
            if not _opens_name(tok):
                first = None
            continue
        start, particle = _particle(tok)
        mention = Mention(offset + start, offset + tok.idx + len(tok), tok.text, particle,
                          first, start == 0)  # fmt: skip
        nxt = _next_name(tok)
        if nxt is not None and not particle:
            first = mention  # a first name: its surname follows
            continue
        out.append(mention)
        first = None
    return out + [m.first for m in out if m.first is not None]


def _particle(tok: Token) -> tuple[int, str]:
    """Where the mention starts and its particle ("de" before "Mistura", "al-" before
    "Assad"), lower case; the word's own start and "" where it has none."""
    doc, i = tok.doc, tok.i
    glued = i >= 2 and doc[i - 1].text == "-"
    glued = glued and not (doc[i - 2].whitespace_ or doc[i - 1].whitespace_)
    if glued and doc[i - 2].lower_ in {"al", "el"}:
        return doc[i - 2].idx, doc[i - 2].lower_ + "-"
    if i >= 1 and doc[i - 1].lower_ in NAME_PARTICLES and doc[i - 1].whitespace_:
        return doc[i - 1].idx, doc[i - 1].lower_
    return tok.idx, ""


def _opens_name(tok: Token) -> bool:
    """A particle right before a name word ("de" in "Staffan de Mistura")."""
    doc = tok.doc
    return tok.lower_ in NAME_PARTICLES and tok.i + 1 < len(doc) and is_name_word(doc[tok.i + 1])


def _next_name(tok: Token) -> Token | None:
    """The name word right after ``tok`` (a particle may come between), if any."""
    doc, j = tok.doc, tok.i + 1
    if not tok.whitespace_:
        return None
    if j < len(doc) and doc[j].lower_ in NAME_PARTICLES and doc[j].whitespace_:
        j += 1
    return doc[j] if j < len(doc) and is_name_word(doc[j]) else None


def clusters(found: list[Mention]) -> list[list[Mention]]:
    """Surname mentions grouped by ``same_name``; first names by their own spelling and
    the surname cluster they precede. Text order inside each cluster."""
    surnames = [m for m in found if not _is_first(m, found)]
    groups = _grouped(surnames)
    at = {id(m): k for k, group in enumerate(groups) for m in group}
    firsts = [m for m in found if _is_first(m, found)]
    by_surname: dict[int, list[Mention]] = {}
    for m in firsts:
        owner = next((s for s in surnames if s.first is m), None)
        if owner is not None:
            by_surname.setdefault(at[id(owner)], []).append(m)
    groups += [g for ms in by_surname.values() for g in _grouped(ms)]
    return [sorted(g, key=lambda m: m.start) for g in groups]


def _is_first(m: Mention, found: list[Mention]) -> bool:
    return any(other.first is m for other in found)


def _grouped(items: list[Mention]) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in sorted(items, key=lambda m: m.start):
        home = next((g for g in groups if same_name(g[0].word, m.word)), None)
        if home is None:
            groups.append([m])
        else:
            home.append(m)
    return groups


def canonical(group: list[Mention]) -> tuple[str, str]:
    """(word, particle) every mention of ``group`` is unified to. The spelling: among the
    most systematic romanizations (``romanization``: "Donbass" over "Donbas"), that of
    the first fuller mention (one with a first name), else the most frequent (the earlier
    on a tie). The particle: the first fuller mention's where it has one, else where half
    the mentions have one (it belongs to the surname: "Mistura" after "de Mistura" is not
    a short form)."""
    words = Counter(m.word for m in group)
    systematic = most_systematic(list(words))
    fuller = [m for m in group if m.first is not None]
    full = next((m for m in fuller if m.word in systematic), None)
    word = full.word if full else max(systematic, key=lambda w: (words[w], *_tie_break(w, group)))
    particles = Counter(m.particle for m in group if m.particle)
    particle = fuller[0].particle if fuller else ""
    if not particle and particles and 2 * sum(particles.values()) >= len(group):
        particle = particles.most_common(1)[0][0]
    return word, particle


def _tie_break(word: str, group: list[Mention]) -> tuple[int, int]:
    """Between spellings the article uses equally often: the one with more capitals
    ("YouTube" over "Youtube"), then the earlier. (English word frequency as a tie-break
    picked reference A's spelling less often on WMT21 ru-en: "Sergei" over "Sergey",
    "Habib" over "Khabib"; eval/results/style-wmt21-2026-12-05.md.)"""
    first = next(m.start for m in group if m.word == word)
    return sum(c.isupper() for c in word), -first


def cluster_sheet(group: list[Mention], word: str, particle: str, role: str) -> NameCluster:
    """The style sheet's entry for one cluster."""
    forms = Counter(_norm_form(m) for m in group)
    best = Mention(0, 0, word, particle).form
    return NameCluster(best, dict(forms), role)


def _norm_form(m: Mention) -> str:
    return Mention(0, 0, m.word, m.particle.lower()).form


def rendered(word: str, particle: str, at_start: bool) -> str:
    """The canonical form as written at a mention (the particle capitalised where it
    opens the sentence)."""
    form = Mention(0, 0, word, particle).form
    return form[0].upper() + form[1:] if at_start and particle else form
