"""Page layout for every width from a phone (390 px) to a projector (1920 px): one style sheet.

Streamlit lays columns out side by side above 640 px of window and stacks them below; these rules
make the app's own rows follow the width they really have instead (the main area is a CSS size
container, so an open sidebar counts): page columns stack below MAIN_STACK px of main area, a row
of buttons wraps rather than cutting a label, metric labels wrap, and the title keeps clear of the
header's sidebar button. tests/test_browser_layout.py checks it at 390, 1024, 1280 and 1920 px.
"""

from __future__ import annotations

import streamlit as st

MAIN_STACK = 720  # px of main area below which a page's side-by-side columns stack

# a column holding a button (Train / Pause / Step / Reset, Random digit ...); :has() cannot nest
_BUTTON_IN = '[data-testid="stVerticalBlock"] > [data-testid="stElementContainer"] > [data-testid="stButton"]'
_BUTTON_COL = f'[data-testid="stColumn"]:has(> {_BUTTON_IN})'
_TOP_ROW = ('[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"]'
            ' > [data-testid="stHorizontalBlock"]')  # a page's own st.columns

CSS = f"""<style>
[data-testid="stMainBlockContainer"]{{container:rnn-main/inline-size}}
/* a folded sidebar's open button sits in the header, over the top of the page */
.stApp:has([data-testid="stSidebar"][data-collapsed="true"]) [data-testid="stMainBlockContainer"]{{padding-top:3.9rem !important}}
/* button rows wrap instead of cutting labels; a button column is never narrower than its label */
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] > {_BUTTON_IN}){{flex-wrap:wrap}}
{_BUTTON_COL}{{min-width:fit-content !important;flex:1 1 0 !important}}
[data-testid="stButton"] button{{white-space:nowrap}}
/* a widget's label (a toggle's, a checkbox's) wraps onto a second line rather than being cut */
label [data-testid="stMarkdownContainer"]{{overflow:visible;text-overflow:clip;white-space:normal}}
label [data-testid="stMarkdownContainer"] p{{white-space:normal}}
/* the page's own side-by-side columns stack when the main area is narrow */
@container rnn-main (max-width: {MAIN_STACK}px){{
  {_TOP_ROW}:not(:has(> [data-testid="stColumn"] > {_BUTTON_IN})){{flex-wrap:wrap}}
  {_TOP_ROW}:not(:has(> [data-testid="stColumn"] > {_BUTTON_IN})) > [data-testid="stColumn"]{{min-width:100% !important;flex:1 1 100% !important}}
}}
/* a pair of charts side by side (st.container(key="chart-pair")): stacked when the main area is narrow */
@container rnn-main (max-width: {MAIN_STACK}px){{
  .st-key-chart-pair [data-testid="stHorizontalBlock"]{{flex-wrap:wrap}}
  .st-key-chart-pair [data-testid="stColumn"]{{min-width:100% !important;flex:1 1 100% !important}}
}}
/* an operand's binary form: on one line, under the box when there is no room beside it */
.st-key-operands [data-testid="stHorizontalBlock"] [data-testid="stHorizontalBlock"]{{flex-wrap:wrap}}
.st-key-operands [data-testid="stHorizontalBlock"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]{{min-width:4.5rem}}
.st-key-operands [data-testid="stHorizontalBlock"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:last-child{{min-width:fit-content}}
.st-key-operands code{{white-space:nowrap}}
/* a wide equation scrolls inside its own box (never the page), and shrinks on a narrow screen */
.katex-display{{overflow-x:auto;overflow-y:hidden;max-width:100%}}
/* (the BPTT block is about 21 of its font sizes wide: 4cqi fits it in a phone's expander) */
@container rnn-main (max-width: 700px){{.katex-display > .katex{{font-size:max(0.7em, min(1.21em, 4cqi))}}}}
</style>"""


def responsive_css() -> None:
    """The style sheet above, once per script run (a style-only st.html takes no room)."""
    st.html(CSS)
