"""RNN Adder Lab: `streamlit run app.py`.

Slim entry: page config, language, navigation. Each page is a package under rnn_app/ (page,
views, figures), over the shared rnn_app/ui/ (live loop, plotting kit, strings, widgets).
"""

import os

# Before numpy loads: our matrices are small and the server's viewers share two cores, so one
# BLAS thread per call. Two threads made a tall product 300x slower here (thread hand-off).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from rnn_app import allocator  # noqa: E402

allocator.tune()  # once per process: at most two malloc arenas (see the module)

# Before any page's plotly code: plotly checks `sys.modules` for pandas on every figure and uses it
# as it finds it. The class board's table (st.dataframe) imports pandas; when that first import
# ran while another viewer's page built a figure, plotly met a half-imported pandas
# (AttributeError: partially initialized module 'pandas'). Importing it here, first thing in every
# script run, makes every run wait for that one import to finish.
import pandas  # noqa: E402, F401
import streamlit as st  # noqa: E402

from rnn_app.ui import a11y, identity, view  # noqa: E402
from rnn_app.ui.layout import responsive_css  # noqa: E402
from rnn_app.ui.links import copy_button, remember_landing  # noqa: E402
from rnn_app.ui.strings import language_selector, t  # noqa: E402

st.set_page_config(page_title="RNN Adder Lab", page_icon=":material/add_circle:", layout="wide")
responsive_css()  # every page, every width (390 to 1920 px)
language_selector()  # sidebar toggle; every string below goes through t()
copy_button(st.sidebar)  # the setup in the address bar, to share
view.sidebar()  # projector mode; the teacher's view (settings hidden from students)
view.apply_css()
identity.mount()  # this tab's ids, kept by the browser: its runs survive a reload or a restart

pages = {
    "train": st.Page("rnn_app/train/page.py", title=t("nav.train"), icon=":material/school:", url_path="train", default=True),
    "inside": st.Page("rnn_app/inside/page.py", title=t("nav.inside"), icon=":material/neurology:", url_path="inside"),
    "digits": st.Page("rnn_app/digits/page.py", title=t("nav.digits"), icon=":material/draw:", url_path="digits"),
    "lesson": st.Page("rnn_app/lesson/page.py", title=t("nav.lesson"), icon=":material/menu_book:", url_path="lesson"),
    "class": st.Page("rnn_app/classroom/page.py", title=t("nav.class"), icon=":material/groups:", url_path="class"),
}
page = st.navigation(list(pages.values()))
name = next(name for name, p in pages.items() if p.url_path == page.url_path)
remember_landing(name)  # read by that page, once
a11y.mount(name)  # skip link, shortcuts (Space / S / R / ?), focus kept, the live region
page.run()
