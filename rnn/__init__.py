"""RNN Adder Lab engine: recurrent networks that learn binary addition, in plain numpy.

    from rnn import Config, Trainer
    t = Trainer(Config())
    t.step(100); t.accuracy()

Never imports streamlit: everything a chart shows is computed here and tested on its own.
"""

import os

# Set before numpy loads (also for `python -m rnn.bench`, which imports this package first): the
# engine's matrices are tiny, and a second BLAS thread only fights the first one on a shared machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .config import Config  # noqa: E402
from .model import Model  # noqa: E402
from .trace import Trace  # noqa: E402
from .trainer import Evaluation, Trainer  # noqa: E402

__all__ = ["Config", "Evaluation", "Model", "Trace", "Trainer"]
