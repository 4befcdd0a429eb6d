"""Small word lists the parser rules rely on. Each list says what it is for."""

# Particles that open a foreign name: "de Mistura", "von der Leyen", "al-Assad".
NAME_PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "el", "ibn"}
    | {"la", "le", "ten", "ter", "van", "von"}
)

# Words that belong inside official names ("Ministry of Foreign Affairs"): MT from
# Russian lower-cases them while keeping the head noun capitalised.
INSTITUTION_MODIFIERS = frozenset(
    """foreign internal interior home defence defense justice finance financial economic
    economy security emergency emergencies health education culture agriculture energy
    transport labour labor trade industry affairs general armed federal national supreme
    constitutional central presidential prime""".split()
)

# Head nouns of institution names and titles.
INSTITUTION_HEADS = frozenset(
    """ministry minister affairs department council committee service court bank duma
    assembly office forces secretary agency commission administration staff cabinet
    parliament prosecutor""".split()
)

# Verbs that need an object in news English: without one ("its composition has not
# yet seen"), or with it pushed behind a comma, the sentence is a calque.
TRANSITIVE_VERBS = frozenset(
    """discuss consider examine sign adopt approve review present announce hold determine
    decide define establish form publish receive take make give find set see implement
    reach conclude complete prepare submit settle address resolve organize organise
    arrange schedule appoint elect choose select""".split()
)

# Of those, the ones news English also uses without an object ("the talks have concluded",
# "the dust has settled", "a queue has formed"): a perfect with no object is fine there.
INTRANSITIVE_TOO = frozenset("conclude settle form set complete close".split())

# Sentence adverbs that Russian sets off with commas between subject and verb
# ("Discussion ..., possibly, will promote"): vozmozhno, veroyatno, ochevidno, vidimo.
CALQUE_PARENTHETICALS = frozenset(
    {"possibly", "probably", "apparently", "evidently", "obviously", "certainly", "likely"}
)

MONTHS = frozenset(
    """january february march april may june july august september october november
    december""".split()
)

# Tags of verb forms, grouped for the parallelism check.
FINITE_TAGS = frozenset({"VB", "VBP", "VBZ", "VBD", "MD"})

# Tags of verb forms that carry tense: a clause needs one of these to be finite.
TENSED_TAGS = frozenset({"VBP", "VBZ", "VBD", "MD"})
