"""``python -m benchmarks.suite``: every route that hands a pxr stage to ovphysx, timed side by side.

Each case (scene x route x repetition) runs in a fresh interpreter (``benchmarks.suite.case``),
so that peak RSS and caches belong to that case alone; ``benchmarks.suite.run`` runs them and
takes medians; ``benchmarks.suite.report`` prints the table, the target ratios and the plot.
"""

from benchmarks.suite.report import markdown, plot, ratios
from benchmarks.suite.run import OVERHEAD_PAIRS, ROUTES, SCENES, run

__all__ = ["OVERHEAD_PAIRS", "ROUTES", "SCENES", "markdown", "plot", "ratios", "run"]
