"""RNN Adder Lab: `streamlit run app.py`.

Slim entry: page config, language, navigation. Each page is a package under rnn_app/ (page,
views, figures), over the shared rnn_app/ui/ (live loop, plotting kit, strings, widgets).
"""

import os

# Before numpy loads: our matrices are small and the server's viewers share two cores, so one
# BLAS thread per call. Two threads made a tall product 300x slower here (thread hand-off).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

from rnn_app.ui import a11y, identity, view  # noqa: E402
from rnn_app.ui.links import copy_button, remember_landing  # noqa: E402
from rnn_app.ui.strings import language_selector, t  # noqa: E402

st.set_page_config(page_title="RNN Adder Lab", page_icon=":material/add_circle:", layout="wide")
language_selector()  # sidebar toggle; every string below goes through t()
copy_button(st.sidebar)  # the setup in the address bar, to share
view.sidebar()  # projector mode; the teacher's view (settings hidden from students)
view.apply_css()
identity.mount()  # this tab's ids, kept by the browser: its runs survive a reload or a restart

pages = {
    "train": st.Page("rnn_app/train/page.py", title=t("nav.train"), icon=":material/school:", url_path="train", default=True),
    "inside": st.Page("rnn_app/inside/page.py", title=t("nav.inside"), icon=":material/neurology:", url_path="inside"),
    "digits": st.Page("rnn_app/digits/page.py", title=t("nav.digits"), icon=":material/draw:", url_path="digits"),
    "class": st.Page("rnn_app/classroom/page.py", title=t("nav.class"), icon=":material/groups:", url_path="class"),
}
page = st.navigation(list(pages.values()))
name = next(name for name, p in pages.items() if p.url_path == page.url_path)
remember_landing(name)  # read by that page, once
a11y.mount(name)  # skip link, shortcuts (Space / S / R / ?), focus kept, the live region
page.run()
