"""The one strings table: every user-visible string, in English and Simplified Chinese.

    t("train.button.train")            -> "Train" or "训练" for the viewer's language
    t("solved_at", step=120)           -> format fields with keyword arguments
    t("nav.train", lang="zh")          -> a given language (figure builders take `lang`)

Each page owns one section of STRINGS (marked by a comment); keys are prefixed by the page.
Chinese is written as a Chinese teacher would say it (进位, 隐藏层大小, 学习率 ...).
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    # ---- app-wide ----------------------------------------------------------------------------
    "app.title": {"en": "RNN Adder Lab", "zh": "RNN 加法实验室"},
    "app.language": {"en": "Language", "zh": "语言"},
    "nav.train": {"en": "Train", "zh": "训练"},
    "nav.inside": {"en": "Inside the network", "zh": "网络内部"},
    "nav.digits": {"en": "Digits, row by row", "zh": "逐行读数字"},
    "common.coming_soon": {"en": "This page is being built.", "zh": "本页正在建设中。"},
    "operand.empty": {"en": "Type a number, e.g. 200 or 0b11001000.", "zh": "请输入一个数，例如 200 或 0b11001000。"},
    "operand.negative": {"en": "Only numbers from 0 up: no negative operands.", "zh": "只能输入 0 或正整数，不能是负数。"},
    "operand.not_a_number": {
        "en": "Not a number: use digits (200) or binary with 0b (0b11001000).",
        "zh": "不是有效的数：请用十进制（200）或带 0b 的二进制（0b11001000）。",
    },
    "operand.too_wide": {
        "en": "Too big for {bits} bits: the largest is {max} ({max_bin}).",
        "zh": "超出 {bits} 位：最大只能是 {max}（{max_bin}）。",
    },
    # ---- train page (rnn_app/pages/train.py) -------------------------------------------------
    # ---- inside page (rnn_app/pages/inside.py) -----------------------------------------------
    # ---- digits page (rnn_app/pages/digits.py) -----------------------------------------------
}


def current_language() -> str:
    """The viewer's language from st.session_state (DEFAULT_LANGUAGE outside a Streamlit run)."""
    try:
        import streamlit as st

        lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    except Exception:  # no script run context (plain python, unit tests)
        lang = DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **fields) -> str:
    """The string `key` in `lang` (default: the viewer's language), formatted with `fields`."""
    entry = STRINGS[key]
    text = entry[lang or current_language()]
    return text.format(**fields) if fields else text


def language_selector() -> str:
    """Sidebar toggle English / 简体中文; the choice lives in st.session_state["lang"]."""
    import streamlit as st

    if "lang" not in st.session_state:
        st.session_state.lang = DEFAULT_LANGUAGE
    st.sidebar.segmented_control(
        t("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        label_visibility="collapsed",
    )
    if st.session_state.lang is None:  # segmented_control can be deselected: keep a language
        st.session_state.lang = DEFAULT_LANGUAGE
    return st.session_state.lang
