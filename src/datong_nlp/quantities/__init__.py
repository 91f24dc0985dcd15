"""Find quantities: a number expression and its unit, resolved through the unit table.

Works on the normalised (simplified, folded) text; offsets returned here are
offsets of that text.  Comparators, modality, property and time are added
later by `claims`.

One job a module: `quantity` (the found figure), `core` (number runs, unit lookup,
lists, ranks), `forms` (signs, currency prefixes, money in parts, halves, per-units,
discounts, whole words), `spacing` (spaced numerals and the offsets back) and
`finder` (the scan: number + unit, ranges and compounds merged).
"""

from .finder import QuantityFinder
from .quantity import FORMS, PERCENT_WORDS, RANK, Quantity

__all__ = ["FORMS", "PERCENT_WORDS", "RANK", "Quantity", "QuantityFinder"]
