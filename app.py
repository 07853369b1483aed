"""RNN Adder Lab: `streamlit run app.py`.

Slim entry: page config, language, navigation. Each page is one file under rnn_app/pages/.
"""

import os

# Before numpy loads: our matrices are small and the server's viewers share two cores, so one
# BLAS thread per call. Two threads made a tall product 300x slower here (thread hand-off).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

from rnn_app import first_load  # noqa: E402
from rnn_app.strings import language_selector, t  # noqa: E402

st.set_page_config(page_title="RNN Adder Lab", page_icon=":material/add_circle:", layout="wide")
first_load.start_session()  # a browser's first run draws the Train page's essentials only
language_selector()  # sidebar toggle; every string below goes through t()

pages = [
    st.Page("rnn_app/pages/train.py", title=t("nav.train"), icon=":material/school:", default=True),
    st.Page("rnn_app/pages/inside.py", title=t("nav.inside"), icon=":material/neurology:"),
    st.Page("rnn_app/pages/digits.py", title=t("nav.digits"), icon=":material/draw:"),
]
st.navigation(pages).run()
