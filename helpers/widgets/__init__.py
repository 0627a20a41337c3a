"""The lesson figures: one module per figure, named after what it teaches, each built on `helpers.live`.

Notebooks call them as `widgets.fit_explorer(...)`; a new figure goes in a module of its own here and is
re-exported below. `Surface` is the loss map several of them draw on; `LossCurve` (training progress) is
`helpers.loss_curve`, re-exported for notebook 08.
"""

from helpers.loss_curve import LossCurve
from helpers.widgets.batch_size import batch_size_explorer
from helpers.widgets.capacity import capacity_explorer
from helpers.widgets.descent import descent_explorer
from helpers.widgets.fit import fit_explorer
from helpers.widgets.hidden_units import boundary_explorer
from helpers.widgets.learning_rate import learning_rate_explorer
from helpers.widgets.surface import Surface

__all__ = [
    "LossCurve",
    "Surface",
    "batch_size_explorer",
    "boundary_explorer",
    "capacity_explorer",
    "descent_explorer",
    "fit_explorer",
    "learning_rate_explorer",
]
