"""Streamlit UI of the RNN Adder Lab. The maths lives in `rnn/`; this package only draws it.

- strings.py   the one bilingual strings table (English / Simplified Chinese) and t()
- state.py     per-viewer state in st.session_state (never module globals or cache_resource)
- figures*.py  pure figure builders: data in, plotly Figure out (no streamlit)
- views*.py    small widget functions returning plain values / config dataclasses
- pages/       one file per page, listed in app.py
"""
