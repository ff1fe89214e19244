"""``ovphysx-shim bench``: every route that hands a pxr stage to ovphysx, timed side by side.

Each case (scene x route x repetition) runs in a fresh interpreter (``shim.bench.case``),
so that peak RSS and caches belong to that case alone; ``shim.bench.suite`` runs them and
takes medians; ``shim.bench.report`` prints the table, the target ratios and the plot.
"""

from shim.bench.report import markdown, plot, ratios
from shim.bench.suite import OVERHEAD_PAIRS, ROUTES, SCENES, run

__all__ = ["OVERHEAD_PAIRS", "ROUTES", "SCENES", "markdown", "plot", "ratios", "run"]
