"""RNN Adder Lab engine: recurrent networks that learn binary addition, in plain numpy.

    from rnn import Config, Trainer
    t = Trainer(Config())
    t.step(100); t.accuracy()

Never imports streamlit: everything a chart shows is computed here and tested on its own.
"""

from .config import Config
from .model import Model
from .trace import Trace
from .trainer import Evaluation, Trainer

__all__ = ["Config", "Evaluation", "Model", "Trace", "Trainer"]
