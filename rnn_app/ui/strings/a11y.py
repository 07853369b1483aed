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
    # the Inside page
    "alt.inside.what.h": {"en": "hidden state", "zh": "隐藏状态"},
    "alt.inside.what.c": {"en": "cell state", "zh": "细胞状态"},
    "alt.inside.what.gate": {"en": "gate {g}", "zh": "门 {g}"},
    "alt.inside.state": {
        "en": "Heatmap of the {what} of {H} units at {T} timesteps for {a} + {b}: the network answers {net}, {mark}.",
        "zh": "热图：{a} + {b} 时 {H} 个单元在 {T} 个时间步的{what}；网络的答案是 {net}，{mark}。",
    },
    "alt.inside.corr": {
        "en": "Bars: how closely each of the {H} units follows the carry; the closest is unit {u}, r = {r}.",
        "zh": "柱状图：{H} 个单元各自与进位的相关程度；最接近的是第 {u} 个单元，r = {r}。",
    },
    "alt.inside.length": {"en": "Exact accuracy by operand width: ", "zh": "不同位数下的整题正确率："},
    "alt.inside.length.line": {
        "en": "{name} {p} at {bits} bits, {q} at {wide} bits",
        "zh": "{name}：{bits} 位时 {p}，{wide} 位时 {q}",
    },
    "alt.inside.sep": {"en": "; ", "zh": "；"},
    "alt.inside.end": {"en": ".", "zh": "。"},
    "alt.inside.weights": {
        "en": "Heatmaps of the weights of layer {layer} (input, recurrent and output) on one colour scale; "
        "the largest weight in size is {m}.",
        "zh": "热图：第 {layer} 层的权重（输入、循环和输出）用同一色标；绝对值最大的权重是 {m}。",
    },
    "alt.inside.grad": {
        "en": "Line chart of the gradient's size against steps back. ",
        "zh": "折线图：梯度大小随回溯步数的变化。",
    },
    "alt.inside.scatter": {
        "en": "Scatter plot of the hidden states on their first two principal components: from PC1 and PC2 alone "
        "the carry is read off at {pca}, from all units at {carry}.",
        "zh": "散点图：隐藏状态在前两个主成分上；只用 PC1 和 PC2 读出进位的准确率是 {pca}，用全部单元是 {carry}。",
    },
    "alt.inside.probe": {
        "en": "Scatter plot of the hidden states in the probe plane: the carry probe reads the carry at {carry}, "
        "the sum-bit probe the sum bit at {sum}.",
        "zh": "散点图：隐藏状态在探针平面上；进位探针读出进位的准确率是 {carry}，本位和探针读出本位和的准确率是 {sum}。",
    },
    # the Class page's board
    "alt.class.curves": {
        "en": "Learning curves of {n} students, {solved} solved.",
        "zh": "{n} 位学生的学习曲线，{solved} 位已学会。",
    },
    "alt.class.median": {
        "en": " Median loss {loss} at step {step}.",
        "zh": "第 {step} 步时损失的中位数是 {loss}。",
    },
    "alt.class.scatter": {
        "en": "Scatter plot of {x} against {y}, one dot per student: {n} students, {solved} solved.",
        "zh": "散点图：{x}与{y}，每位学生一个点：共 {n} 位，{solved} 位已学会。",
    },
    "alt.class.scatter.best": {
        "en": " Fewest steps to solve: {step}, with {x} {xv} and {y} {yv}.",
        "zh": "最少 {step} 步学会，{x} {xv}，{y} {yv}。",
    },
    "alt.class.sweep": {"en": "Steps to solve against {label}: ", "zh": "学会所需步数随{label}的变化："},
    "alt.class.sweep.point": {
        "en": "{v}: median {m} steps ({k} of {n} solved)",
        "zh": "{v}：中位数 {m} 步（{n} 位中 {k} 位学会）",
    },
    "alt.class.sweep.none": {"en": "{v}: none of {n} solved yet", "zh": "{v}：{n} 位中还没有人学会"},
}
