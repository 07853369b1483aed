"""Streamlit UI of the RNN Adder Lab. The maths and every rule about a run live in `rnn/`; this
package only draws them.

- ui/        shared by every page: the live loop and panel, the plotting kit, the strings table
             (English / Simplified Chinese), controlled widgets and page state, operand parsing
- train/     the Train page; inside/ the Inside the network page; digits/ the Digits page. Each has
             page.py (the script st.navigation runs), state.py (the page's per-viewer state: one
             typed object under one session key), views (widgets and what they show) and
             figures.py (pure figure builders: data in, plotly figure out, no streamlit)
"""
