"""Repair: one call (``stage.Repair``) per batch of articles.

``propose/``: a module per kind of candidate edit; ``rank``: the base LM's gain for each;
``search``: greedy rounds that keep the best edit over the margin that the guard accepts;
``fixes``: the rules' and the grammar checkers' fixes (proposals too); ``model``: a
``--model``'s rewrites; ``stage``: the outcome as the report's edits.
"""
