"""datong-nlp: numeric claims and named entities from Chinese interview and policy texts."""

from . import table
from .api import evaluate, extract_file, extract_text
from .pipeline import Extractor
from .provenance import TOOL_VERSION
from .rules import RuleSet, load_rules
from .table import read_outputs
from .types import Claim, Document, Entity, InputError, RulesError

__all__ = ["Claim", "Document", "Entity", "Extractor", "InputError", "RuleSet", "RulesError", "evaluate", "extract_file",
           "extract_text", "load_rules", "read_outputs", "table"]
__version__ = TOOL_VERSION
