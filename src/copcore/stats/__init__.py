"""copstats: a framework-free survey statistics engine (design-based estimates, disclosure control).

Public API: :class:`Design` (with :class:`Replicates` for replicate weights), :class:`Request`,
:func:`estimate`, :class:`EstimateResult`.
"""

from copcore.stats.design import Design, Replicates
from copcore.stats.estimate import EstimateResult, Request, estimate

__all__ = ["Design", "EstimateResult", "Replicates", "Request", "estimate"]
