"""datong-nlp: numeric claims and named entities from Chinese interview and policy texts."""

from .pipeline import Extractor
from .rules import RuleSet, load_rules
from .types import Claim, Document, Entity, InputError, RulesError

__all__ = ["Claim", "Document", "Entity", "Extractor", "InputError", "RuleSet", "RulesError", "load_rules"]
__version__ = "0.1.0"
