"""Page placeholder: replaced by the page's implementation."""

import streamlit as st

from rnn_app.strings import t

st.title(t("nav.train"))
st.info(t("common.coming_soon"))
