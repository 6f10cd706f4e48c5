"""The actor knowledge base (see docs/kb.md and docs/architecture.md).

``KnowledgeBase.load(extra_paths)`` reads the shipped data files (countries generated from
pycountry, armed groups, companies, IGOs, NGOs, media, units, weapons) plus user files, and
resolves names to :class:`~eventwire.records.Entity` records.
"""

from .base import FUZZY_THRESHOLD, KIND_LABELS, KnowledgeBase, label_of
from .petrarch import cameo_code

__all__ = ["FUZZY_THRESHOLD", "KIND_LABELS", "KnowledgeBase", "cameo_code", "label_of"]
