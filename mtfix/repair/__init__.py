"""Repair: candidates for each flagged sentence, and one choice among them.

``fixes``: the sure, local fixes (parser rules' and the grammar checkers' allowed
replacements), alone and combined; the model rewrites the sentence with all of them
applied. Every candidate goes through the guard; ``choose`` keeps one per sentence.
"""
