"""The errors this package raises on purpose (a module that imports nothing, so any module may use it)."""


class DatongError(Exception):
    """Base class of the errors this package raises on purpose."""


class RulesError(DatongError):
    """A rule file is malformed; the message names the file, the entry and the reason."""


class InputError(DatongError):
    """An input document cannot be read or decoded; the message says why."""
