"""Errors a user can cause: the CLI prints each as one line and exits non-zero."""


class MtfixError(Exception):
    """Base of every error caused by input or options, not by a bug."""


class InputError(MtfixError):
    """The input cannot be read as an English article."""


class ConfigError(MtfixError):
    """An option or a backend asked for cannot be used."""
