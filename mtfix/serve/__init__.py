"""``mtfix serve``: LanguageTool's HTTP API, ``/api/fix`` and a page, over one pipeline."""
