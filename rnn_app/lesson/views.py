"""What the Lesson page shows: the step picker, a step (text, button, question) and the
predict-then-reveal exercise. The scoring is rnn_app.lesson.quiz (pure); `grid_html` is pure too.

Each part is a section (rnn_app.ui.guard): one that fails says so in its place and the rest of the
page, and the lesson's progress, live on. Clicks that compute (start a round, the harder round,
check a column, a step's setup) are handled inside their section, not in a callback: a callback
that raises would take the whole page down with a traceback.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from rnn_app.lesson import quiz, setups
from rnn_app.lesson.state import LessonState, save
from rnn_app.lesson.steps import STEPS, Step
from rnn_app.train.state import TrainState
from rnn_app.ui.back import switch_page
from rnn_app.ui.guard import section
from rnn_app.ui.links import MAX_TEXT
from rnn_app.ui.operands import feedback, parse_operand
from rnn_app.ui.strings import current_language, t
from rnn_app.ui.widgets import control

GRID_CSS = """<style>
.lesson-grid{border-collapse:collapse;font-family:ui-monospace,monospace;font-size:1.15rem;margin:0.3rem 0 0.6rem 0}
.lesson-grid td,.lesson-grid th{padding:0.15rem 0.45rem;text-align:center;border:none}
.lesson-grid th{font-family:inherit;font-size:0.8rem;font-weight:400;opacity:0.7;text-align:right}
.lesson-grid tr.sum td{border-top:2px solid currentColor}
.lesson-grid td.now{background:rgba(124,58,237,0.16);border-radius:0.3rem}
.lesson-grid .carry{color:#7c3aed;font-size:0.85rem}
.lesson-grid .ok{color:#16a34a}.lesson-grid .bad{color:#dc2626;font-weight:700}
</style>"""


# ---- steps -----------------------------------------------------------------------------------------
def step_picker(state: LessonState) -> None:
    """The steps in the sidebar, a tick by each question answered right."""
    lang = current_language()

    def label(i: int) -> str:
        step = STEPS[i]
        mark = {True: " ✓", False: " ✗"}.get(
            state.answers.get(step.id) == step.answer if step.id in state.answers else None, ""
        )
        return f"{i + 1}. {t(f'lesson.{step.id}.title', lang)}{mark}"

    control(st.sidebar, "radio", t("lesson.steps"), name="lesson.step", value=state.step, version=state.version,
            options=list(range(len(STEPS))), format_func=label, on_change=state.go)  # fmt: skip


def score_line(state: LessonState) -> str:
    return t("lesson.score", right=state.questions_right, total=len(STEPS), points=state.tally.points,
             possible=state.tally.possible)  # fmt: skip


def step_text(state: LessonState, step: Step) -> None:
    """The score so far, the step's heading and its text."""
    st.caption(score_line(state))
    st.subheader(t("lesson.progress", n=state.step + 1, total=len(STEPS)) + " · " + t(f"lesson.{step.id}.title"),
                 anchor=False)  # fmt: skip
    st.markdown(t(f"lesson.{step.id}.text"))


def step_button(state: LessonState, step: Step, train: TrainState) -> None:
    """The step's one button: set the page up, then open it (it shows "Back to the lesson")."""
    if st.button(t(f"lesson.{step.id}.button"), key=f"lesson.go.{step.id}", type="primary",
                 icon=":material/arrow_forward:"):  # fmt: skip
        operands = quiz_operands(state, train)
        page = setups.apply(step.setup, operands)
        state.away = step.id
        save(state)
        switch_page(page)


def question(state: LessonState, step: Step) -> None:
    """Predict: choose an answer; reveal: right or not, and why."""
    lang = current_language()  # the labels' language, bound now: format_func may run outside the page's run
    st.markdown(f"**{t('lesson.question')}:** {t(f'lesson.{step.id}.question')}")
    chosen = state.answers.get(step.id)
    control(st, "radio", t("lesson.answer"), name=f"lesson.q.{step.id}", value=chosen, version=state.version,
            options=list(range(step.options)), format_func=lambda k: t(f"lesson.{step.id}.option.{k}", lang),
            on_change=lambda k: state.choose(step.id, k), label_visibility="collapsed")  # fmt: skip
    if chosen is None:
        return
    if chosen == step.answer:
        st.success(t("lesson.right") + " " + t(f"lesson.{step.id}.explain"), icon=":material/check_circle:")
    else:
        answer = t(f"lesson.{step.id}.option.{step.answer}")
        st.warning(
            t("lesson.wrong", answer=answer) + " " + t(f"lesson.{step.id}.explain"),
            icon=":material/lightbulb:",
        )


def nav_buttons(state: LessonState) -> None:
    left, _, right = st.columns([0.2, 0.6, 0.2])
    left.button(t("lesson.prev"), key="lesson.prev", disabled=state.step == 0, width="stretch",
                on_click=lambda: state.go(state.step - 1))  # fmt: skip
    right.button(t("lesson.next"), key="lesson.next", disabled=state.step == len(STEPS) - 1, width="stretch",
                 on_click=lambda: state.go(state.step + 1))  # fmt: skip


# ---- predict then reveal ---------------------------------------------------------------------------
def quiz_operands(state: LessonState, train: TrainState) -> tuple[str, str]:
    """The quiz's numbers as typed (the Train page's until typed here)."""
    ta, tb = train.operand_texts()
    return (ta if state.a is None else state.a), (tb if state.b is None else state.b)


def grid_html(rnd: quiz.Round, lang: str) -> str:
    """The written sum of a round, right to left, as far as it is revealed: the carries above, the
    numbers, the true sum, the network's bits (red where wrong) and the student's guesses; the
    column to guess next is shaded."""
    T, now = len(rnd.columns), rnd.current
    order = range(T - 1, -1, -1)  # most significant column on the left

    def cell(t_: int, text: str, cls: str = "") -> str:
        classes = " ".join(c for c in (cls, "now" if t_ == now and not rnd.done else "") if c)
        return f'<td class="{classes}">{text}</td>' if classes else f"<td>{text}</td>"

    rows = []
    carry = [cell(t_, str(rnd.columns[t_].carry_in) if 0 < t_ <= now and rnd.columns[t_].carry_in else "", "carry")
             for t_ in order]  # fmt: skip
    rows.append(("carry", t("lesson.quiz.row.carry", lang), carry))
    rows.append(("", "a", [cell(t_, str(rnd.columns[t_].a)) for t_ in order]))
    rows.append(("", "+ b", [cell(t_, str(rnd.columns[t_].b)) for t_ in order]))
    rows.append(("sum", t("lesson.quiz.row.sum", lang),
                 [cell(t_, str(rnd.columns[t_].sum_bit) if t_ < now else "?") for t_ in order]))  # fmt: skip
    net = []
    for t_ in order:
        c = rnd.columns[t_]
        net.append(
            cell(t_, str(c.net_bit) if t_ < now else "", ("ok" if c.net_right else "bad") if t_ < now else "")
        )
    rows.append(("", t("lesson.quiz.row.net", lang), net))
    you = []
    for t_ in order:
        m = rnd.marks[t_] if t_ < now else None
        you.append(
            cell(t_, ("✓" if m.right else "✗") if m else "", ("ok" if m.right else "bad") if m else "")
        )
    rows.append(("", t("lesson.quiz.row.you", lang), you))
    body = "".join(
        f'<tr class="{cls}"><th>{escape(head)}</th>{"".join(cells)}</tr>' for cls, head, cells in rows
    )
    return (
        f'{GRID_CSS}<table class="lesson-grid" data-round="{rnd.a},{rnd.b},{rnd.bits},{now}">{body}</table>'
    )


def start_round(state: LessonState, train: TrainState) -> None:
    """A round on the student's numbers, with the network the Train page uses."""
    bits = train.run.cfg.bits
    a, b = (parse_operand(x, bits) for x in quiz_operands(state, train))
    if a.ok and b.ok:
        state.start(quiz.Round.of(train.run.trainer.trace(a.value, b.value)))


def start_hard_round(state: LessonState, train: TrainState) -> None:
    state.start(quiz.hard_round(train.run.trainer, setups.trainer_of, seed=state.hard_seed))
    state.hard_seed += 1


def numbers(state: LessonState, train: TrainState) -> bool:
    """The quiz's two numbers, each with what is wrong with it; True if both are usable."""
    bits = train.run.cfg.bits
    st.markdown(t("lesson.quiz.numbers", max=(1 << bits) - 1, bits=bits))
    ok = True
    for col, name, text in zip(st.columns(2), "ab", quiz_operands(state, train)):
        with col:
            left, right = st.columns([0.45, 0.55], vertical_alignment="bottom")
            control(left, "text_input", name, name=f"lesson.quiz.{name}", value=text, version=state.version,
                    max_chars=MAX_TEXT, on_change=lambda v, n=name: setattr(state, n, v))  # fmt: skip
            # max_chars: the stored progress keeps a text up to MAX_TEXT long (state.load), no longer
            parsed = parse_operand(text, bits)
            (right if parsed.ok else st).markdown(feedback(parsed, bits))
            ok = ok and parsed.ok
    return ok


def new_round(state: LessonState, train: TrainState) -> None:
    """The numbers, "Start" (on them) and "Harder round", each its own section."""
    box = st.container()
    left, right = st.columns(2)
    with box, section("lesson.numbers"):
        ok = numbers(state, train)
        if left.button(t("lesson.quiz.start"), key="lesson.quiz.start", disabled=not ok, width="stretch"):
            start_round(state, train)
            st.rerun()  # the page drawn again with the round
    with right, section("lesson.hard"):
        if st.button(t("lesson.quiz.hard"), key="lesson.quiz.hard", width="stretch",
                     help=t("lesson.quiz.hard.help", extra=quiz.HARD_EXTRA)):  # fmt: skip
            start_hard_round(state, train)
            st.rerun()


def last_column(rnd: quiz.Round) -> str | None:
    """The line that reveals the column just guessed."""
    if not rnd.marks:
        return None
    k = len(rnd.marks) - 1
    c, m = rnd.columns[k], rnd.marks[k]
    guess_sum = c.sum_bit if m.sum_ok else 1 - c.sum_bit
    guess_carry = c.carry_out if m.carry_ok else 1 - c.carry_out
    return t("lesson.quiz.last", k=k + 1, guess=t("lesson.quiz.guess", s=guess_sum, c=guess_carry),
             truth=t("lesson.quiz.guess", s=c.sum_bit, c=c.carry_out), net=c.net_bit, prob=c.net_prob,
             verdict=t("lesson.quiz.points", p=m.points, n=m.possible))  # fmt: skip


def guess_form(state: LessonState, rnd: quiz.Round) -> None:
    """The current column: sum bit, carry (and, harder round, will the network be right?)."""
    k, c = rnd.current, rnd.columns[rnd.current]
    st.markdown(f"**{t('lesson.quiz.column', k=k + 1, a=c.a, b=c.b, c=c.carry_in)}**")
    picks = {}
    cols = st.columns(3 if rnd.hard else 2)
    tag = f"{rnd.a}.{rnd.b}.{rnd.bits}.{k}"  # a new column: new widgets, nothing chosen
    picks["sum"] = cols[0].segmented_control(t("lesson.quiz.sum"), [0, 1], key=f"lesson.quiz.sum.{tag}")
    picks["carry"] = cols[1].segmented_control(t("lesson.quiz.carry"), [0, 1], key=f"lesson.quiz.carry.{tag}")
    if rnd.hard:
        lang = current_language()
        picks["net"] = cols[2].segmented_control(
            t("lesson.quiz.net"),
            [True, False],
            key=f"lesson.quiz.net.{tag}.{lang}",  # translated labels: a widget per language
            format_func=lambda v: t("lesson.quiz.yes" if v else "lesson.quiz.no", lang),
        )
    if st.button(t("lesson.quiz.check"), key=f"lesson.quiz.check.{tag}", type="primary"):
        if any(v is None for v in picks.values()):
            st.warning(t("lesson.quiz.pick"))
        else:
            state.guess(picks["sum"], picks["carry"], picks.get("net"))
            st.rerun()


def hardest(state: LessonState) -> None:
    tally = state.tally
    rows = tally.hardest()
    if not rows:
        return
    st.markdown(f"**{t('lesson.quiz.hardest')}**")
    st.markdown("\n".join(f"- {t('lesson.quiz.kind.row', kind=t(f'lesson.quiz.kind.{k}'), wrong=w, asked=n)}"
                          for k, w, n in rows))  # fmt: skip
    if tally.net_asked:
        st.caption(t("lesson.quiz.net_score", right=tally.net_right, asked=tally.net_asked))


def round_view(state: LessonState, train: TrainState, rnd: quiz.Round) -> None:
    """The round: the grid, the column just revealed, then the next column or the result."""
    if rnd.hard:
        st.caption(t("lesson.quiz.hard.intro", bits=rnd.bits, trained=train.run.cfg.bits))
        if rnd.net_step is not None:
            st.info(t("lesson.quiz.halfway", step=rnd.net_step), icon=":material/hourglass_top:")
    st.html(grid_html(rnd, current_language()))
    if (line := last_column(rnd)) is not None:
        st.markdown(line)
    if not rnd.done:
        guess_form(state, rnd)
    else:
        right = sum(c.net_right for c in rnd.columns)
        st.success(t("lesson.quiz.done", points=rnd.points, possible=rnd.possible, net=right,
                     columns=len(rnd.columns)))  # fmt: skip


def exercise(state: LessonState, train: TrainState) -> None:
    """Predict then reveal: the numbers, the grid, the current column or the round's result."""
    rnd = state.round
    if rnd is not None:
        with section("lesson.quiz"):
            round_view(state, train, rnd)
    if rnd is None or rnd.done:
        new_round(state, train)
    with section("lesson.hardest"):
        hardest(state)
