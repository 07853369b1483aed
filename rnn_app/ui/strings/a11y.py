"""Strings of keyboard and screen-reader support: the skip link, the shortcuts' help and the text
alternatives of the charts. English and Simplified Chinese: see rnn_app.ui.strings."""

STRINGS: dict[str, dict[str, str]] = {
    "a11y.skip": {"en": "Skip to the controls", "zh": "跳到训练按钮"},
    "a11y.help.title": {"en": "Keyboard shortcuts", "zh": "键盘快捷键"},
    "a11y.help.close": {"en": "Close", "zh": "关闭"},
    "a11y.help.space": {"en": "Train, or Pause while training", "zh": "训练；训练中则暂停"},
    "a11y.help.step": {"en": "Step: one update", "zh": "单步：更新一次"},
    "a11y.help.reset": {"en": "Reset to the initial weights", "zh": "重置到初始权重"},
    "a11y.help.help": {"en": "Show or hide this list", "zh": "显示或隐藏这个列表"},
    "a11y.help.esc": {"en": "Close this list", "zh": "关闭这个列表"},
    "a11y.help.key.space": {"en": "Space", "zh": "空格"},
    "a11y.help.note": {
        "en": "Space, S and R work on the Train and Digits pages, not while you type in a box.",
        "zh": "空格、S 和 R 在“训练”和“逐行读数字”页面有效；在输入框里打字时不起作用。",
    },
    # text alternatives of the charts (rnn_app.ui.alt_text)
    "alt.curve.empty": {"en": "Learning curve: no training yet.", "zh": "学习曲线：还没有开始训练。"},
    "alt.curve.diverged": {
        "en": "Learning curve: training blew up at step {step}.",
        "zh": "学习曲线：训练在第 {step} 步发散了。",
    },
    "alt.curve.loss": {
        "en": "Learning curve: loss {loss} at step {step}",
        "zh": "学习曲线：第 {step} 步时损失为 {loss}",
    },
    "alt.curve.no_eval": {"en": "accuracy not measured yet.", "zh": "还没有测正确率。"},
    "alt.curve.all_right": {"en": "every {bits}-bit sum right.", "zh": "所有 {bits} 位加法全部算对。"},
    "alt.curve.some_right": {"en": "{pct} of {bits}-bit sums right.", "zh": "{bits} 位加法算对 {pct}。"},
    "alt.curve.test_acc": {"en": "{pct} of the test digits right.", "zh": "测试数字认对 {pct}。"},
    "alt.curve.sep": {"en": ", ", "zh": "，"},
    "alt.carry.right": {
        "en": "Column addition {a} + {b}: the network answers {net}, right in all {T} columns.",
        "zh": "竖式加法 {a} + {b}：网络的答案是 {net}，{T} 列全部算对。",
    },
    "alt.carry.wrong": {
        "en": "Column addition {a} + {b}: the network answers {net} instead of {true}, wrong in {n} of {T} columns "
        "(t = {cols}).",
        "zh": "竖式加法 {a} + {b}：网络的答案是 {net}，正确答案是 {true}；{T} 列中有 {n} 列算错（t = {cols}）。",
    },
    "alt.carry.carries": {"en": " A 1 is carried into t = {cols}.", "zh": "进位 1 进入 t = {cols} 列。"},
    "alt.carry.no_carry": {"en": " Nothing is carried.", "zh": "没有进位。"},
    "alt.reading": {
        "en": "Digit read row by row: after all {rows} rows the network answers {guess} ({p}); the true digit is {label}, {mark}.",
        "zh": "逐行读数字：读完全部 {rows} 行后，网络的答案是 {guess}（{p}）；真实数字是 {label}，{mark}。",
    },
    "alt.reading.nolabel": {
        "en": "Digit read row by row: after all {rows} rows the network answers {guess} ({p}).",
        "zh": "逐行读数字：读完全部 {rows} 行后，网络的答案是 {guess}（{p}）。",
    },
    "alt.reading.right": {"en": "right", "zh": "答对了"},
    "alt.reading.wrong": {"en": "wrong", "zh": "答错了"},
    "alt.reading.settled": {
        "en": " Its answer holds from row {row} on.",
        "zh": "从第 {row} 行起答案不再改变。",
    },
}
