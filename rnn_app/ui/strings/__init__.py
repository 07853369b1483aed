"""The one strings table: every user-visible string, in English and Simplified Chinese.

    t("train.button.train")            -> "Train" or "训练" for the viewer's language
    t("solved_at", step=120)           -> format fields with keyword arguments
    t("nav.train", lang="zh")          -> a given language (figure builders take `lang`)

The table is one dict, assembled from one data module per page (common.py, train.py, inside.py,
digits.py); keys are prefixed by the page. Chinese is written as a Chinese teacher would say it
(进位, 隐藏层大小, 学习率 ...). Widget values are stable identifiers ("bce", "lstm"); their labels
come from this table through format_func, never the other way round.
"""

from __future__ import annotations

from . import a11y, classroom, common, digits, divergence, harden, inside, layout, lesson, train, view

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {**common.STRINGS, **train.STRINGS, **inside.STRINGS, **digits.STRINGS,
                                     **classroom.STRINGS, **divergence.STRINGS, **harden.STRINGS, **layout.STRINGS,
                                     **lesson.STRINGS, **view.STRINGS, **a11y.STRINGS}


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


MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def plain(text: str) -> str:
    """Text someone typed (a nickname), safe inside markdown: every markdown character escaped, so
    it shows as typed and never as a link, an image or formatting."""
    return "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in str(text))


def initial_language(locale: str | None) -> str:
    """The language a new session starts in: Simplified Chinese for a browser set to any Chinese
    locale (zh, zh-CN, zh-TW, ...), else English. `locale` is the browser's (st.context.locale)."""
    return "zh" if (locale or "").lower().startswith("zh") else DEFAULT_LANGUAGE


def language_selector() -> str:
    """Sidebar toggle English / 简体中文; the choice lives in st.session_state["lang"]. A new
    session starts in the link's language (?lang=zh), else the browser's (initial_language)."""
    import streamlit as st

    if "lang" not in st.session_state:
        linked = st.query_params.get("lang")
        st.session_state.lang = linked if linked in LANGUAGES else initial_language(st.context.locale)
    st.sidebar.segmented_control(
        t("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        required=True,  # clicking the chosen language keeps it (not: no language at all)
        label_visibility="collapsed",
    )
    return st.session_state.lang
