"""Looking inside a network: what its hidden state holds, how gradients flow, how far it generalises.

Every view of the "Inside the network" page is computed here, in numpy, from the engine's own
forward and backward passes (no second implementation of the network). Nothing here mutates a
model: ablations pass a unit mask to the forward pass, other networks are new Model objects.

Hidden states over all operand pairs of a width are streamed in chunks of pairs. Statistics are
accumulated as running moments (float64), so memory stays bounded whatever the hidden size:

    pass 1  moments of the states and the targets  -> correlations, PCA, least-squares probes
    pass 2  probe scores and PCA coordinates of every state -> accuracies, ranges, a plot sample

Rows are (pair, timestep) states: h_t after reading column t, with targets carry_t (the true carry
out of column t, which h_t must remember) and sum_t (bit t of a + b, which h_t must output).
"""

from .generalisation import (
    COMPARE_WIDTHS,
    LENGTH_PAIRS,
    LENGTH_WIDTHS,
    QUICK_PAIRS,
    Accuracy,
    CellRun,
    LengthCurve,
    ablation,
    accuracy,
    compare_cells,
    length_generalisation,
    train_until_solved,
    unit_mask,
)
from .gradients import (
    GRADIENT_KINDS,
    GradientCurve,
    as_float64,
    fresh_model,
    gradient_comparison,
    gradient_through_time,
    with_clip,
)
from .moments import Moments, correlations, pca, probe
from .operands import (
    CHUNK_PAIRS,
    TARGETS,
    Operands,
    check_layer,
    collect_states,
    operand_set,
    random_operands,
    state_chunks,
    state_targets,
)
from .states import KEEP_BYTES, StateAnalysis, StateSample, analyse_states

__all__ = [
    "CHUNK_PAIRS", "COMPARE_WIDTHS", "GRADIENT_KINDS", "KEEP_BYTES", "LENGTH_PAIRS", "LENGTH_WIDTHS",
    "QUICK_PAIRS", "TARGETS", "Accuracy", "CellRun", "GradientCurve", "LengthCurve", "Moments",
    "Operands", "StateAnalysis", "StateSample", "ablation", "accuracy", "analyse_states", "as_float64",
    "check_layer", "collect_states", "compare_cells", "correlations", "fresh_model", "gradient_comparison",
    "gradient_through_time", "length_generalisation", "operand_set", "pca", "probe", "random_operands",
    "state_chunks", "state_targets", "train_until_solved", "unit_mask", "with_clip",
]  # fmt: skip
