"""copstats: a framework-free survey statistics engine (design-based estimates, disclosure control).

Public API: :class:`Design`, :class:`Request`, :func:`estimate`, :class:`EstimateResult`.
"""

from copcore.stats.design import Design
from copcore.stats.estimate import EstimateResult, Request, estimate

__all__ = ["Design", "EstimateResult", "Request", "estimate"]
