"""Per-viewer state. Everything trained lives in st.session_state, never in module globals or
st.cache_resource (those are shared by every viewer of the server).

Keys used across pages:
    trainer   the adder rnn.Trainer of this viewer (shared by the Train and Inside pages)
    lang      "en" | "zh"
"""

from __future__ import annotations

import streamlit as st

from rnn import Config, Trainer


def get_trainer() -> Trainer:
    """This viewer's adder trainer, created with the default Config on first use."""
    if "trainer" not in st.session_state:
        st.session_state.trainer = Trainer(Config())
    return st.session_state.trainer


def set_trainer(trainer: Trainer) -> None:
    st.session_state.trainer = trainer
