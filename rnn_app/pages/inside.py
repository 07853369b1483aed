"""Page placeholder: replaced by the page's implementation."""

import streamlit as st

from rnn_app.strings import t

st.title(t("nav.inside"))
st.info(t("common.coming_soon"))
