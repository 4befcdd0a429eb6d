"""``mtfix batch``: repair a whole feed of articles, resumable, one output record per article.

``sources`` reads the input (JSONL, RSS/Atom, a directory, stdin) into items, ``sink``
appends records to the output and finds where a killed run stopped, ``engine`` repairs
batches of items (in-process, or on Ray with ``ray_engine``), ``command`` is the CLI.
"""
