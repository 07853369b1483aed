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
    "train.title": {"en": "Teach an RNN to add", "zh": "教 RNN 学会加法"},
    "train.intro": {
        "en": "The network reads two binary numbers one bit per step, least significant bit first, and writes "
        "one bit of their sum at each step: to get every sum right it has to learn to carry.",
        "zh": "网络每一步读入两个二进制数的一位（从最低位开始），同时写出和的一位：要把每道加法都算对，它必须自己学会进位。",
    },
    "train.button.train": {"en": "Train", "zh": "训练"},
    "train.button.pause": {"en": "Pause", "zh": "暂停"},
    "train.button.step": {"en": "Step", "zh": "单步"},
    "train.button.reset": {"en": "Reset", "zh": "重置"},
    "train.help.train": {
        "en": "Train continuously until you pause, or until every sum is right.",
        "zh": "持续训练，直到你按暂停，或所有加法全部算对。",
    },
    "train.help.pause": {"en": "Stop training; nothing is lost.", "zh": "停止训练，已训练的结果不会丢失。"},
    "train.help.step": {"en": "One training step on one batch.", "zh": "用一个批量训练一步。"},
    "train.help.reset": {
        "en": "Back to the initial weights of this seed: the same run can be replayed.",
        "zh": "回到这个随机种子的初始权重：可以重放同一次训练。",
    },
    "train.metric.step": {"en": "Step", "zh": "步数"},
    "train.metric.samples": {"en": "Samples seen", "zh": "已见样本"},
    "train.metric.loss": {"en": "Loss", "zh": "损失"},
    "train.metric.bit": {"en": "Bit accuracy", "zh": "按位正确率"},
    "train.metric.exact": {"en": "Exact accuracy", "zh": "整题正确率"},
    "train.metric.rate": {"en": "Steps/s", "zh": "步/秒"},
    "train.help.bit": {"en": "Share of sum bits that are right.", "zh": "和的各个二进制位中算对的比例。"},
    "train.help.exact": {
        "en": "Share of the {pairs} operand pairs of {bits} bits whose whole sum is right (evaluated at step {step}).",
        "zh": "{pairs} 对 {bits} 位操作数中，整个和完全算对的比例（在第 {step} 步评估）。",
    },
    "train.solved": {
        "en": "Solved at step {step}: every {bits}-bit sum is right.",
        "zh": "第 {step} 步解决：所有 {bits} 位加法全部算对。",
    },
    "train.celebrate": {"en": "Solved at step {step}!", "zh": "第 {step} 步全部算对！"},
    "train.diverged": {
        "en": "Training paused because it blew up ({reason}). Lower the learning rate or turn on gradient "
        "clipping, then press Train again, or press Reset.",
        "zh": "训练发散，已自动暂停（{reason}）。请调低学习率或打开梯度裁剪，再按“训练”继续，或按“重置”。",
    },
    "train.rebuilt": {
        "en": "New model: {fields} changed, so training starts again from step 0.",
        "zh": "已新建模型：{fields} 改变了，训练从第 0 步重新开始。",
    },
    "train.bad_config": {"en": "These settings do not fit together: {reason}", "zh": "这些设置不兼容：{reason}"},
    "train.settings": {"en": "Settings", "zh": "设置"},
    "train.settings.loading": {"en": "Loading the settings…", "zh": "正在加载设置…"},
    "train.bad_link": {
        "en": "The settings in this link were not applied: {reason}",
        "zh": "链接中的设置没有生效：{reason}",
    },
    "train.more": {"en": "More settings", "zh": "更多设置"},
    "train.preset": {"en": "Preset", "zh": "预设"},
    "train.preset.help": {
        "en": "Load a known setup; you can change any setting afterwards. As a link: ?preset=classic&speed=max",
        "zh": "载入一套经典设置，之后可以任意修改。也可用链接：?preset=classic&speed=max",
    },
    "train.preset.fast": {"en": "Fast default", "zh": "快速默认"},
    "train.preset.custom": {"en": "Custom settings", "zh": "自定义设置"},
    "train.preset.classic": {
        "en": "Classic numpy tutorial (sigmoid, H16, SGD 0.1, batch 1)",
        "zh": "经典 numpy 教程（sigmoid，H16，SGD 0.1，批量 1）",
    },
    "train.preset.tf": {
        "en": "TensorFlow LSTM adder (2×20 LSTM, dropout 0.5, Adam, MSE, batch 64)",
        "zh": "TensorFlow LSTM 加法器（2×20 LSTM，dropout 0.5，Adam，MSE，批量 64）",
    },
    "train.w.cell": {"en": "Cell", "zh": "单元类型"},
    "train.w.activation": {"en": "Activation", "zh": "激活函数"},
    "train.w.activation.help": {"en": "Only the plain RNN cell uses it.", "zh": "只对普通 RNN 单元有效。"},
    "train.w.hidden": {"en": "Hidden size", "zh": "隐藏层大小"},
    "train.w.layers": {"en": "Layers", "zh": "层数"},
    "train.w.lr": {"en": "Learning rate", "zh": "学习率"},
    "train.w.lr.help": {
        "en": "Log scale. Changes apply at once, without losing training.",
        "zh": "对数刻度。修改立即生效，不会丢失训练进度。",
    },
    "train.w.optimizer": {"en": "Optimiser", "zh": "优化器"},
    "train.w.batch": {"en": "Batch size", "zh": "批量大小"},
    "train.w.bits": {"en": "Bits", "zh": "位数"},
    "train.w.bits.help": {
        "en": "Width of the operands; the network sees bits + 1 steps.",
        "zh": "操作数的位数；网络一共读 位数 + 1 步。",
    },
    "train.w.loss": {"en": "Loss", "zh": "损失函数"},
    "train.w.clip": {"en": "Gradient clipping (0 = off)", "zh": "梯度裁剪（0 为不裁剪）"},
    "train.w.dropout": {"en": "Dropout", "zh": "Dropout 丢弃率"},
    "train.w.dropout.help": {"en": "Between stacked layers (needs 2+ layers).", "zh": "作用在堆叠的层之间（需要 2 层以上）。"},
    "train.w.init": {"en": "Initialisation", "zh": "权重初始化"},
    "train.w.seed": {"en": "Seed", "zh": "随机种子"},
    "train.w.speed": {"en": "Speed (steps per update)", "zh": "速度（每次刷新训练的步数）"},
    "train.w.speed.help": {
        "en": "Training steps between two redraws (4 per second). 'max' runs as many as fit.",
        "zh": "两次刷新之间训练的步数（每秒刷新 4 次）。“最快”表示尽可能多地训练。",
    },
    "train.speed.max": {"en": "max", "zh": "最快"},
    "train.opt.rnn": {"en": "RNN", "zh": "RNN"},
    "train.opt.gru": {"en": "GRU", "zh": "GRU"},
    "train.opt.lstm": {"en": "LSTM", "zh": "LSTM"},
    "train.opt.tanh": {"en": "tanh", "zh": "tanh"},
    "train.opt.sigmoid": {"en": "sigmoid", "zh": "sigmoid"},
    "train.opt.relu": {"en": "ReLU", "zh": "ReLU"},
    "train.opt.sgd": {"en": "SGD", "zh": "SGD（随机梯度下降）"},
    "train.opt.momentum": {"en": "Momentum", "zh": "动量法"},
    "train.opt.adam": {"en": "Adam", "zh": "Adam"},
    "train.opt.bce": {"en": "Cross-entropy", "zh": "交叉熵"},
    "train.opt.mse": {"en": "Squared error (MSE)", "zh": "均方误差（MSE）"},
    "train.opt.xavier": {"en": "Xavier", "zh": "Xavier"},
    "train.opt.orthogonal": {"en": "Orthogonal", "zh": "正交"},
    "train.opt.uniform": {"en": "Uniform [-1, 1]", "zh": "均匀分布 [-1, 1]"},
    "train.field.cell": {"en": "cell", "zh": "单元类型"},
    "train.field.hidden": {"en": "hidden size", "zh": "隐藏层大小"},
    "train.field.layers": {"en": "layers", "zh": "层数"},
    "train.field.activation": {"en": "activation", "zh": "激活函数"},
    "train.field.init": {"en": "initialisation", "zh": "权重初始化"},
    "train.field.seed": {"en": "seed", "zh": "随机种子"},
    "train.field.dtype": {"en": "precision", "zh": "精度"},
    "train.operands": {"en": "Try it on two numbers", "zh": "用两个数试一试"},
    "train.operand.help": {
        "en": "Decimal (200) or binary with 0b (0b11001000), up to {max} for {bits} bits.",
        "zh": "十进制（200）或带 0b 的二进制（0b11001000），{bits} 位最大为 {max}。",
    },
    "train.sum.net": {"en": "Network", "zh": "网络的答案"},
    "train.sum.true": {"en": "True sum", "zh": "正确答案"},
    "train.sum.right": {"en": "right", "zh": "正确"},
    "train.sum.wrong": {"en": "wrong in {n} of {T} bits", "zh": "{T} 位中错了 {n} 位"},
    "train.anim.stale": {
        "en": "While training runs, this shows the model as it was when training started; it updates when "
        "training pauses.",
        "zh": "训练进行时，这里显示的是开始训练时的模型；暂停后会更新。",
    },
    "train.anim.loading": {"en": "Loading the carry animation…", "zh": "正在加载进位动画…"},
    "train.anim.none": {"en": "Fix the operands above to see the addition.", "zh": "请先改正上面的操作数。"},
    "train.anim.caption": {
        "en": "Read it like written addition: column t holds bit t, least significant on the right, and time "
        "runs right to left. A purple 1 and arrow carry a 1 into the next column (the true carry). The "
        "network has no carry wire, so the carry it believes in is read from its answer: its sum bit must be "
        "a ⊕ b ⊕ carry, so the implied carry is p(1) where a and b agree and 1 − p(1) where they differ. "
        "Red marks a wrong bit. Below: the top layer's hidden state at each step.",
        "zh": "按竖式加法来读：第 t 列是第 t 位，最低位在最右边，时间从右往左走。紫色的 1 和箭头表示把 1 进位到下一列"
        "（真实的进位）。网络里没有专门的“进位线”，它“认为”的进位只能从它的答案推出来：和的这一位应等于 a ⊕ b ⊕ 进位，"
        "所以当 a、b 两位相同时推断的进位是 p(1)，不同时是 1 − p(1)。红色表示算错的位。下方是顶层隐藏状态在每一步的值。",
    },
    "train.fig.loss": {"en": "loss", "zh": "损失"},
    "train.fig.exact": {"en": "exact accuracy", "zh": "整题正确率"},
    "train.fig.step": {"en": "training step", "zh": "训练步数"},
    "train.fig.solved": {"en": "solved at step {step}", "zh": "第 {step} 步解决"},
    "train.fig.empty": {"en": "Press Train to start", "zh": "按“训练”开始"},
    "train.fig.row.carry": {"en": "carry", "zh": "进位"},
    "train.fig.row.belief": {"en": "carry the net implies", "zh": "网络推断的进位"},
    "train.fig.row.a": {"en": "a", "zh": "a"},
    "train.fig.row.b": {"en": "b", "zh": "b"},
    "train.fig.row.net": {"en": "network", "zh": "网络的答案"},
    "train.fig.row.truth": {"en": "true sum", "zh": "正确答案"},
    "train.fig.row.prob": {"en": "p(bit = 1)", "zh": "p(该位 = 1)"},
    "train.fig.hidden": {"en": "hidden state", "zh": "隐藏状态"},
    "train.fig.hidden_hover": {"en": "unit %{y}: %{z:.2f}", "zh": "第 %{y} 个单元：%{z:.2f}"},
    "train.fig.belief_hover": {
        "en": "implied carry {p:.2f} (true carry {c})",
        "zh": "推断的进位 {p:.2f}（真实进位 {c}）",
    },
    "train.fig.play": {"en": "▶ Play", "zh": "▶ 播放"},
    "train.fig.pause": {"en": "❚❚ Pause", "zh": "❚❚ 暂停"},
    # ---- inside page (rnn_app/pages/inside.py) -----------------------------------------------
    "inside.intro": {
        "en": "Everything here is measured on your own network, over every pair of operands. Train more on the Train page and come back: the pictures change with it.",
        "zh": "这里的一切都是在你自己的网络上、对所有操作数组合测出来的。回到训练页面再多训练一会儿，再回来看看：图也会跟着变。",
    },
    "inside.subject": {"en": "Network to look inside", "zh": "要观察的网络"},
    "inside.subject.trained": {"en": "your network", "zh": "你训练的网络"},
    "inside.subject.hand": {"en": "the hand-wired network", "zh": "手工搭建的网络"},
    "inside.layer": {"en": "Layer", "zh": "层"},
    "inside.status": {
        "en": "Your network: {cell}, {hidden} hidden units, {layers} layer(s); {steps} training steps on {bits}-bit numbers. {solved}",
        "zh": "你的网络：{cell}，{hidden} 个隐藏单元，{layers} 层；在 {bits} 位的数上训练了 {steps} 步。{solved}",
    },
    "inside.status.solved": {"en": "Solved at step {step}.", "zh": "在第 {step} 步学会了加法。"},
    "inside.status.unsolved": {"en": "Not solved yet.", "zh": "还没有学会。"},
    "inside.status.hand": {
        "en": "The hand-wired network: 3 sigmoid units, weights set by hand, never trained. Analysed at {bits} bits.",
        "zh": "手工搭建的网络：3 个 sigmoid 单元，权重是手工设定的，从未训练过。分析位宽 {bits} 位。",
    },
    "inside.untrained": {
        "en": "Your network has not learned to add yet, so there is little to see inside. Train it here in a second, or on the Train page.",
        "zh": "你的网络还没有学会加法，里面没什么可看的。可以在这里一键训练（约一秒），也可以去训练页面训练。",
    },
    "inside.button.solve": {"en": "Train until it adds", "zh": "训练到学会为止"},
    "inside.solve.spinner": {"en": "Training…", "zh": "正在训练……"},
    "inside.solve.done": {"en": "Solved after {steps} steps.", "zh": "训练了 {steps} 步，学会了。"},
    "inside.solve.not_yet": {
        "en": "Not solved after {steps} steps. Press again, or change the settings on the Train page.",
        "zh": "训练了 {steps} 步还没学会。可以再按一次，或者去训练页面调整设置。",
    },
    "inside.solve.fresh": {
        "en": "Your network had diverged, so a fresh default network was trained instead.",
        "zh": "你的网络已经发散，所以改为训练了一个新的默认网络。",
    },
    # section 1
    "inside.s1.title": {"en": "1 · Hidden state over time", "zh": "1 · 隐藏状态随时间的变化"},
    "inside.s1.intro": {
        "en": "Each column is one step: the network reads one column of the addition, right to left as on paper. Each row is one hidden unit. Look for a unit that lights up exactly where the carry row below is 1.",
        "zh": "每一列是一个时间步：网络像笔算一样从右往左每次读入一列。每一行是一个隐藏单元。找一找：有没有哪个单元恰好在下面“进位”一行为 1 的地方亮起来？",
    },
    "inside.operand_a": {"en": "Operand a", "zh": "加数 a"},
    "inside.operand_b": {"en": "Operand b", "zh": "加数 b"},
    "inside.operand_help": {
        "en": "Decimal (200) or binary with 0b (0b11001000); up to {bits} bits. Taken from the Train page when you typed there.",
        "zh": "十进制（200）或带 0b 的二进制（0b11001000），最多 {bits} 位。如果你在训练页面输入过，这里会沿用。",
    },
    "inside.s1.result": {
        "en": "{a} + {b} = {true}; the network says {pred} {mark}",
        "zh": "{a} + {b} = {true}；网络的答案是 {pred} {mark}",
    },
    "inside.s1.tab.h": {"en": "hidden state h", "zh": "隐藏状态 h"},
    "inside.s1.tab.c": {"en": "cell state c", "zh": "细胞状态 c"},
    "inside.s1.tab.gate": {"en": "gate {g}", "zh": "{g} 门"},
    "inside.s1.gates_note": {
        "en": "GRU gates: r reset, z update (how much of the old state is kept), n candidate. LSTM gates: i input, f forget, o output, g candidate; c is the cell state, the LSTM's memory lane.",
        "zh": "GRU 的门：r 重置门，z 更新门（保留多少旧状态），n 候选状态。LSTM 的门：i 输入门，f 遗忘门，o 输出门，g 候选值；c 是细胞状态，也就是 LSTM 的“记忆通道”。",
    },
    # section 2
    "inside.s2.title": {"en": "2 · Carry neurons", "zh": "2 · 进位神经元"},
    "inside.s2.intro": {
        "en": "For every hidden unit: how closely does it follow the true carry, over all {rows} states of all {pairs} additions? A bar near +1 or −1 is a unit that carries.",
        "zh": "对每个隐藏单元：在全部 {pairs} 道加法题的 {rows} 个状态上，它和真实进位有多一致？接近 +1 或 −1 的柱子，就是负责进位的单元。",
    },
    "inside.s2.neuron": {
        "en": "Unit {u} is a carry neuron: r = {r:.3f}.",
        "zh": "第 {u} 个单元是进位神经元：r = {r:.3f}。",
    },
    "inside.s2.no_neuron": {
        "en": "No single unit reaches |r| ≥ 0.9 (best: unit {u}, r = {r:.2f}): the carry is spread over several units.",
        "zh": "没有哪个单元达到 |r| ≥ 0.9（最高的是第 {u} 个单元，r = {r:.2f}）：进位分散在好几个单元里。",
    },
    "inside.s2.ablate_intro": {
        "en": "Silence units during the forward pass (their output is set to 0 at every step; the weights stay as they are) and measure the exact accuracy again.",
        "zh": "在前向传播中让一些单元“静音”（每一步都把它们的输出置为 0，权重保持不变），再测一次整题正确率。",
    },
    "inside.s2.mode": {"en": "Silence", "zh": "静音"},
    "inside.s2.mode.one": {"en": "one unit", "zh": "一个单元"},
    "inside.s2.mode.top": {"en": "the top k units", "zh": "相关性最高的 k 个单元"},
    "inside.s2.unit": {"en": "Unit", "zh": "单元"},
    "inside.s2.unit_option": {"en": "unit {u} (r = {r:+.2f})", "zh": "第 {u} 个单元（r = {r:+.2f}）"},
    "inside.s2.k": {"en": "k", "zh": "k"},
    "inside.s2.with": {"en": "all units", "zh": "所有单元都工作"},
    "inside.s2.units": {"en": "units {list}", "zh": "单元 {list}"},
    "inside.s2.delta": {"en": "{d:+.1f} points", "zh": "{d:+.1f} 个百分点"},
    "inside.s2.without": {"en": "with {units} silenced", "zh": "静音 {units} 之后"},
    "inside.s2.acc_help": {
        "en": "Exact accuracy over all {pairs} pairs of {bits}-bit operands.",
        "zh": "在全部 {pairs} 对 {bits} 位操作数上的整题正确率。",
    },
    # section 3
    "inside.s3.title": {"en": "3 · The automaton inside", "zh": "3 · 网络里的自动机"},
    "inside.s3.intro": {
        "en": "Every dot is the hidden state after one column of one addition, squeezed into 2-D. Colour: the true carry. Shape: how many of a_t, b_t were 1.",
        "zh": "每个点是某道加法题读完一列之后的隐藏状态，被压缩到二维平面上。颜色表示真实的进位，形状表示这一列 a_t、b_t 中有几个 1。",
    },
    "inside.s3.caption": {
        "en": "Left: the two directions along which the states vary most (PCA). Right: the plane of two straight-line read-outs fitted by least squares, one for the carry and one for the sum bit. A network that has learned to add keeps the states of the carry automaton in separate clusters: carry 0 left of the dotted line, carry 1 right of it. The carry need not live in one neuron: from all units together it is read off at {carry}, from PC1 and PC2 alone at {pca}. Plotted: {shown} of {rows} states (equal numbers per colour and shape); every number uses all of them.",
        "zh": "左图：状态变化最大的两个方向（主成分分析 PCA）。右图：用最小二乘拟合的两个线性读出（探针）构成的平面，一个读进位，一个读本位和。学会加法的网络会把“进位自动机”的各个状态分成清楚的几团：进位为 0 的在虚线左边，进位为 1 的在右边。进位不一定只存在一个神经元里：用全部单元一起读出进位的准确率是 {carry}，只用 PC1 和 PC2 则是 {pca}。图中画出了 {rows} 个状态中的 {shown} 个（每种颜色和形状数量相同），所有数字都是用全部状态算的。",
    },
    "inside.s3.margin": {
        "en": "Gap between the two carry clusters on the carry axis: {margin:.2f} (above 0: no overlap at all).",
        "zh": "两团进位状态在进位轴上的间隔：{margin:.2f}（大于 0 表示完全不重叠）。",
    },
    # section 4
    "inside.s4.title": {"en": "4 · Gradients through time", "zh": "4 · 随时间反向传播的梯度"},
    "inside.s4.intro": {
        "en": "Put the loss on the last output only (the final carry, which depends on every column) and follow its gradient back in time. Each step back multiplies it by W_hh and by the slope of the activation: below 1 it vanishes, above 1 it explodes.",
        "zh": "只在最后一个输出（最高位的进位，它取决于前面每一列）上计算损失，然后沿时间往回追踪它的梯度。每往回一步，梯度都要乘一次 W_hh 和激活函数的斜率：小于 1 就会消失，大于 1 就会爆炸。",
    },
    "inside.s4.bits": {"en": "Operand width (bits)", "zh": "操作数位宽（位）"},
    "inside.s4.compare": {"en": "Compare with fresh networks", "zh": "与新初始化的网络比较"},
    "inside.s4.compare_help": {
        "en": "Untrained sigmoid, tanh and ReLU RNNs and an LSTM with the same number of units.",
        "zh": "同样单元数、未经训练的 sigmoid、tanh、ReLU 循环网络和一个 LSTM。",
    },
    "inside.s4.scale": {"en": "Recurrent weight scale of the fresh networks", "zh": "新网络的循环权重缩放倍数"},
    "inside.s4.scale_help": {
        "en": "Multiplies W_hh of the fresh networks. Above about 2 the tanh and ReLU gradients explode.",
        "zh": "把新网络的 W_hh 乘以这个倍数。大约超过 2 时，tanh 和 ReLU 网络的梯度会爆炸。",
    },
    "inside.s4.clip": {"en": "Clip the gradient norm", "zh": "梯度裁剪"},
    "inside.s4.clip_value": {"en": "Clip at global norm", "zh": "裁剪阈值（全局范数）"},
    "inside.s4.clip_note": {
        "en": "Clipping rescales the WHOLE gradient of a network by one factor when its global norm exceeds the threshold: an exploding curve moves down, but its slope stays the same. It prevents one huge step from wrecking the weights; it cannot bring back a gradient that has vanished.",
        "zh": "梯度裁剪在全局范数超过阈值时，把一个网络的整个梯度乘以同一个系数：爆炸的曲线整体往下移，但斜率不变。它能防止一步迈得太大把权重毁掉，却不能把已经消失的梯度找回来。",
    },
    "inside.s4.shrinks": {
        "en": "Your network: from the last step back to the first ({k} steps) the gradient shrinks {x} times.",
        "zh": "你的网络：从最后一步回到第一步（共 {k} 步），梯度缩小了 {x} 倍。",
    },
    "inside.s4.grows": {
        "en": "Your network: from the last step back to the first ({k} steps) the gradient grows {x} times.",
        "zh": "你的网络：从最后一步回到第一步（共 {k} 步），梯度放大了 {x} 倍。",
    },
    "inside.s4.eq_title": {"en": "Backpropagation through time, vanilla RNN", "zh": "随时间反向传播（普通 RNN）"},
    "inside.s4.eq_note": {
        "en": "The highlighted W_hh appears once per step back: over k steps the gradient is multiplied k times, by W_hh and by the activation's slope (at most 1/4 for sigmoid, 1 for tanh and ReLU).",
        "zh": "高亮的 W_hh 每往回一步就出现一次：回溯 k 步，梯度就被 W_hh 和激活函数的斜率连乘 k 次（sigmoid 的斜率最多 1/4，tanh 和 ReLU 最多 1）。",
    },
    # section 5
    "inside.s5.title": {"en": "5 · How far does it generalise?", "zh": "5 · 它能推广到多长？"},
    "inside.s5.intro": {
        "en": "The network was trained on {bits}-bit numbers only. Does the same rule work for longer numbers? Exact accuracy from 4 to 64 bits.",
        "zh": "网络只在 {bits} 位的数上训练过。同样的规则对更长的数还管用吗？下面是 4 到 64 位的整题正确率。",
    },
    "inside.s5.note": {
        "en": "Each width: {pairs} random pairs of operands (all pairs where there are fewer).",
        "zh": "每种位宽随机取 {pairs} 对操作数（总数不到这么多时用全部）。",
    },
    "inside.s5.tip": {
        "en": "Try training at 3 or 4 bits on the Train page and come back: with so few columns a network often memorises instead of learning to carry.",
        "zh": "试试在训练页面用 3 位或 4 位训练，再回来看看：列数太少时，网络常常只是把答案背下来，而没有学会进位。",
    },
    "inside.s5.compare": {"en": "Compare RNN, GRU and LSTM", "zh": "比较 RNN、GRU 和 LSTM"},
    "inside.s5.compare_help": {
        "en": "Trains one network of each kind at 8 bits with your settings (up to {seconds:.0f} s each), then measures each from 4 to 64 bits.",
        "zh": "用你的设置在 8 位上各训练一个网络（每个最多 {seconds:.0f} 秒），再测它们在 4 到 64 位上的表现。",
    },
    "inside.s5.training": {"en": "Training {cell}…", "zh": "正在训练 {cell}……"},
    "inside.s5.run": {
        "en": "{cell}: {steps} steps in {seconds:.1f} s, {solved}",
        "zh": "{cell}：{steps} 步，用时 {seconds:.1f} 秒，{solved}",
    },
    "inside.s5.solved_at": {"en": "solved at step {step}", "zh": "在第 {step} 步学会"},
    "inside.s5.not_solved": {"en": "not solved in the time", "zh": "在限定时间内没学会"},
    # section 6
    "inside.s6.title": {"en": "6 · Weights", "zh": "6 · 权重"},
    "inside.s6.intro": {
        "en": "Every weight of the network: red positive, blue negative, white near zero. The same W_hh is used at every step: that is weight sharing across time.",
        "zh": "网络的每一个权重：红色为正，蓝色为负，白色接近 0。每一个时间步用的都是同一个 W_hh：这就是跨时间的权重共享。",
    },
    # section 7
    "inside.s7.title": {"en": "7 · Wire it by hand", "zh": "7 · 亲手搭一个"},
    "inside.s7.intro": {
        "en": "Three sigmoid units are enough to add numbers of any length. Unit 1 fires when a_t + b_t + carry ≥ 1, unit 2 when ≥ 2, unit 3 when ≥ 3. Unit 2 is the carry, fed back through W_hh; the sum bit is unit 1 − unit 2 + unit 3.",
        "zh": "三个 sigmoid 单元就足以做任意长度的加法。a_t + b_t + 进位 ≥ 1 时单元 1 激活，≥ 2 时单元 2 激活，≥ 3 时单元 3 激活。单元 2 就是进位，通过 W_hh 反馈到下一步；本位和 = 单元 1 − 单元 2 + 单元 3。",
    },
    "inside.s7.load": {"en": "Load the hand-wired network", "zh": "载入手工搭建的网络"},
    "inside.s7.hide": {"en": "Hide it", "zh": "收起"},
    "inside.s7.acc": {"en": "exact at {bits} bits", "zh": "{bits} 位整题正确率"},
    "inside.s7.perturb": {"en": "Change one weight", "zh": "改动一个权重"},
    "inside.s7.weight": {"en": "Weight", "zh": "权重"},
    "inside.s7.value": {"en": "New value", "zh": "新的值"},
    "inside.s7.reset": {"en": "Back to the hand-wired value", "zh": "恢复手工设定的值"},
    "inside.s7.perturbed": {
        "en": "With {w} = {v:g} (was {old:g}):",
        "zh": "把 {w} 改成 {v:g}（原来是 {old:g}）之后：",
    },
    "inside.s7.compare": {
        "en": "Next to it, your trained network reaches {acc} at 64 bits.",
        "zh": "作为对照，你训练的网络在 64 位上的正确率是 {acc}。",
    },
    "inside.s7.wname.Wx1": {"en": "input {i} → unit {j}", "zh": "输入 {i} → 单元 {j}"},
    "inside.s7.wname.Wh1": {"en": "unit {i} → unit {j} (next step)", "zh": "单元 {i} → 单元 {j}（下一步）"},
    "inside.s7.wname.b1": {"en": "bias of unit {j}", "zh": "单元 {j} 的偏置"},
    "inside.s7.wname.Wy": {"en": "unit {i} → sum bit", "zh": "单元 {i} → 本位和"},
    "inside.s7.wname.by": {"en": "bias of the sum bit", "zh": "本位和的偏置"},
    # figures
    "inside.fig.row.a": {"en": "a", "zh": "a"},
    "inside.fig.row.b": {"en": "b", "zh": "b"},
    "inside.fig.row.carry": {"en": "carry", "zh": "进位"},
    "inside.fig.units": {"en": "hidden unit", "zh": "隐藏单元"},
    "inside.fig.unit": {"en": "unit {u}", "zh": "单元 {u}"},
    "inside.fig.state_hover": {
        "en": "unit %{{y}}, t=%{{customdata}}: {name} = %{{z:.3f}}",
        "zh": "单元 %{{y}}，t=%{{customdata}}：{name} = %{{z:.3f}}",
    },
    "inside.fig.corr_y": {"en": "correlation r with the carry", "zh": "与进位的相关系数 r"},
    "inside.fig.carry_neuron": {"en": "carry neuron", "zh": "进位神经元"},
    "inside.fig.pc": {"en": "PC{k} ({p} of the variance)", "zh": "PC{k}（占方差的 {p}）"},
    "inside.fig.pca_title": {"en": "PCA · carry from PC1+PC2: {acc}", "zh": "PCA · 仅用 PC1+PC2 读进位：{acc}"},
    "inside.fig.plane_title": {
        "en": "Probe plane · carry probe {c}, sum-bit probe {s}",
        "zh": "探针平面 · 进位探针 {c}，本位和探针 {s}",
    },
    "inside.fig.plane_x": {"en": "carry probe (0 → 1)", "zh": "进位探针（0 → 1）"},
    "inside.fig.plane_y": {"en": "sum-bit probe (0 → 1)", "zh": "本位和探针（0 → 1）"},
    "inside.fig.legend": {"en": "carry {c}, a+b = {ab}", "zh": "进位 {c}，a+b = {ab}"},
    "inside.fig.point_hover": {
        "en": "carry {c}, a_t+b_t = {ab}, t=%{{customdata}}",
        "zh": "进位 {c}，a_t+b_t = {ab}，t=%{{customdata}}",
    },
    "inside.fig.grad_x": {"en": "steps back from the loss", "zh": "距离损失的步数（往回）"},
    "inside.fig.grad_y": {"en": "‖∂L/∂h_t‖ (log scale)", "zh": "‖∂L/∂h_t‖（对数坐标）"},
    "inside.fig.grad_y_clipped": {"en": "‖∂L/∂h_t‖ after clipping (log scale)", "zh": "裁剪后的 ‖∂L/∂h_t‖（对数坐标）"},
    "inside.fig.grad_hover": {"en": "%{x} steps back: %{y:.3g}", "zh": "往回 %{x} 步：%{y:.3g}"},
    "inside.grad.kind.current": {"en": "your network", "zh": "你的网络"},
    "inside.grad.kind.sigmoid": {"en": "fresh sigmoid RNN", "zh": "新的 sigmoid RNN"},
    "inside.grad.kind.tanh": {"en": "fresh tanh RNN", "zh": "新的 tanh RNN"},
    "inside.grad.kind.relu": {"en": "fresh ReLU RNN", "zh": "新的 ReLU RNN"},
    "inside.grad.kind.lstm": {"en": "fresh LSTM", "zh": "新的 LSTM"},
    "inside.fig.len_x": {"en": "operand width (bits, log scale)", "zh": "操作数位宽（位，对数坐标）"},
    "inside.fig.len_y": {"en": "exact accuracy", "zh": "整题正确率"},
    "inside.fig.len_hover": {"en": "%{x} bits: %{y:.1f} %", "zh": "%{x} 位：%{y:.1f} %"},
    "inside.fig.trained_at": {"en": "trained at {bits} bits", "zh": "训练位宽 {bits} 位"},
    "inside.len.name.current": {"en": "this network", "zh": "当前网络"},
    "inside.len.name.rnn": {"en": "RNN", "zh": "RNN"},
    "inside.len.name.gru": {"en": "GRU", "zh": "GRU"},
    "inside.len.name.lstm": {"en": "LSTM", "zh": "LSTM"},
    "inside.fig.w_in": {"en": "input weights W_xh and bias", "zh": "输入权重 W_xh 和偏置"},
    "inside.fig.w_in_short": {"en": "input", "zh": "输入"},
    "inside.fig.w_rec": {"en": "recurrent weights W_hh", "zh": "循环权重 W_hh"},
    "inside.fig.w_out": {"en": "W_hy", "zh": "W_hy"},
    "inside.fig.from_unit": {"en": "from unit (step t−1)", "zh": "来自单元（第 t−1 步）"},
    "inside.fig.to_unit": {"en": "to unit (step t)", "zh": "到单元（第 t 步）"},
    "inside.fig.bias": {"en": "bias", "zh": "偏置"},
    "inside.fig.sum_out": {"en": "sum bit", "zh": "本位和"},
    "inside.fig.w_hover": {"en": "%{y} → %{customdata}: %{z:.3f}", "zh": "%{y} → %{customdata}：%{z:.3f}"},
    # ---- digits page (rnn_app/pages/digits.py) -----------------------------------------------
    "digits.title": {"en": "Digits, row by row", "zh": "逐行读数字"},
    "digits.intro": {
        "en": "An LSTM reads each handwritten digit one row of pixels per timestep and names the digit only "
        "after the last row. Train it, then press ▶ Play to watch its guess form row by row.",
        "zh": "LSTM 每个时间步读入手写数字的一行像素，读完最后一行才说出是几。先训练，再按 ▶ 播放，"
        "看它的判断如何一行一行形成。",
    },
    "digits.metric.step": {"en": "Step", "zh": "步数"},
    "digits.metric.loss": {"en": "Loss", "zh": "损失"},
    "digits.metric.test_acc": {"en": "Test accuracy", "zh": "测试正确率"},
    "digits.metric.epochs": {"en": "Epochs", "zh": "轮数"},
    "digits.metric.rate": {"en": "Steps/s", "zh": "步/秒"},
    "digits.help.loss": {
        "en": "Cross-entropy of the last batch, averaged over its images (chance: ln 10 ≈ 2.3).",
        "zh": "最近一个批量的交叉熵，按图片取平均（瞎猜约为 ln 10 ≈ 2.3）。",
    },
    "digits.help.test_acc": {
        "en": "Share of the {n} test images (never trained on) the network names right.",
        "zh": "{n} 张测试图片（从不用于训练）中认对的比例。",
    },
    "digits.help.epochs": {
        "en": "Passes over all {n} training images.",
        "zh": "把 {n} 张训练图片全部看过一遍算一轮。",
    },
    "digits.status.diverged": {
        "en": "Training stopped: {reason}. Lower the learning rate, or press Reset.",
        "zh": "训练已停止：{reason}。请调低学习率，或按“重置”。",
    },
    "digits.status.reached": {
        "en": "Reached {target} test accuracy at step {step}. Train on, or pick a digit and press ▶ Play.",
        "zh": "第 {step} 步测试正确率达到 {target}。可以继续训练，或选一个数字按 ▶ 播放。",
    },
    "digits.celebrate": {"en": "{target} of the test digits right at step {step}!", "zh": "第 {step} 步，测试数字认对 {target}！"},
    "digits.settings": {"en": "Digits model", "zh": "数字模型"},
    "digits.w.preset": {"en": "Preset", "zh": "预设"},
    "digits.preset.default": {"en": "Page default (LSTM 64, fast)", "zh": "本页默认（LSTM 64，快）"},
    "digits.preset.tensorflow": {
        "en": "TensorFlow example (LSTM 256, Adam 0.001, batch 128)",
        "zh": "TensorFlow 原例（LSTM 256，Adam 0.001，批量 128）",
    },
    "digits.preset.custom": {"en": "Custom", "zh": "自定义"},
    "digits.help.preset": {
        "en": "The TensorFlow example is the classic MNIST LSTM (28 rows of 28 pixels) as far as 8×8 images allow: "
        "same cell, size, optimiser, learning rate and batch; it learns more slowly.",
        "zh": "TensorFlow 原例即经典的 MNIST LSTM（28 行、每行 28 像素），在 8×8 图片上尽量照搬："
        "单元、大小、优化器、学习率和批量都相同；它学得更慢。",
    },
    "digits.w.cell": {"en": "Cell", "zh": "循环单元"},
    "digits.w.hidden": {"en": "Hidden size", "zh": "隐藏层大小"},
    "digits.w.layers": {"en": "Layers", "zh": "层数"},
    "digits.w.lr": {"en": "Learning rate (Adam)", "zh": "学习率（Adam）"},
    "digits.w.batch": {"en": "Batch size", "zh": "批量大小"},
    "digits.w.clip": {"en": "Gradient clipping (0 = off)", "zh": "梯度裁剪（0 = 不裁剪）"},
    "digits.w.seed": {"en": "Seed", "zh": "随机种子"},
    "digits.help.rebuild": {
        "en": "Changing this starts a new model.",
        "zh": "修改此项会重新建立模型。",
    },
    "digits.rebuilt": {"en": "New model: {fields} changed.", "zh": "已重建模型：{fields} 已改变。"},
    "digits.data.title": {"en": "Images", "zh": "图片数据"},
    "digits.data.bundled": {"en": "8×8 digits (built in)", "zh": "8×8 手写数字（内置）"},
    "digits.data.mnist": {"en": "MNIST 28×28 (your files)", "zh": "MNIST 28×28（自备文件）"},
    "digits.data.folder": {"en": "Folder with the four MNIST files", "zh": "存放四个 MNIST 文件的文件夹"},
    "digits.data.folder_help": {
        "en": "A folder on the machine running the app with train-images-idx3-ubyte, train-labels-idx1-ubyte, "
        "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz).",
        "zh": "运行本应用的电脑上的一个文件夹，内有 train-images-idx3-ubyte、train-labels-idx1-ubyte、"
        "t10k-images-idx3-ubyte 和 t10k-labels-idx1-ubyte（可以是 .gz 压缩文件）。",
    },
    "digits.data.load_folder": {"en": "Load folder", "zh": "读取文件夹"},
    "digits.data.upload": {"en": "…or upload the four files", "zh": "……或上传这四个文件"},
    "digits.data.loaded": {
        "en": "MNIST: {train} training images; test accuracy on the first {test} test images (28×28).",
        "zh": "MNIST：{train} 张训练图片；测试正确率用前 {test} 张测试图片计算（28×28）。",
    },
    "digits.data.error": {"en": "Could not read MNIST: {reason}", "zh": "无法读取 MNIST：{reason}"},
    "digits.data.use_bundled": {"en": "Back to the 8×8 digits", "zh": "换回 8×8 数字"},
    "digits.attribution": {
        "en": "Data: “Optical Recognition of Handwritten Digits”, E. Alpaydin and C. Kaynak (1998), "
        "UCI Machine Learning Repository, licence CC BY 4.0. {train} training / {test} test images of 8×8 pixels, 17 grey levels.",
        "zh": "数据：“Optical Recognition of Handwritten Digits”（手写数字光学识别），E. Alpaydin 与 C. Kaynak（1998），"
        "UCI 机器学习数据库，许可协议 CC BY 4.0。训练 {train} 张 / 测试 {test} 张，8×8 像素，17 级灰度。",
    },
    "digits.attribution_mnist": {
        "en": "Data: MNIST (Y. LeCun, C. Cortes, C. J. C. Burges), read from your own files.",
        "zh": "数据：MNIST（Y. LeCun、C. Cortes、C. J. C. Burges），读取自你提供的文件。",
    },
    "digits.pick.index": {"en": "Test image no.", "zh": "测试图片编号"},
    "digits.pick.help": {"en": "0 to {last}", "zh": "0 到 {last}"},
    "digits.pick.random": {"en": "Random digit", "zh": "随机换一张"},
    "digits.pick.next_wrong": {"en": "Next mistake", "zh": "下一个认错的"},
    "digits.pick.no_wrong": {"en": "No mistakes on the test set right now.", "zh": "目前测试集上没有认错的图片。"},
    "digits.result": {
        "en": "Test image {index}: the network says **{guess}** ({p}); the true label is **{label}**. {mark}",
        "zh": "测试图片 {index}：网络认为是 **{guess}**（{p}）；真实标签是 **{label}**。{mark}",
    },
    "digits.result.right": {"en": "✓ right", "zh": "✓ 认对了"},
    "digits.result.wrong": {"en": "✗ wrong", "zh": "✗ 认错了"},
    "digits.anim.caption": {
        "en": "▶ Play shows the image one row per frame; the bars are what the network would answer if the image "
        "ended after that row. The outlined bar is the true digit.",
        "zh": "▶ 播放时图片每帧多显示一行；柱子表示如果图片在这一行结束，网络会给出的答案。描边的柱子是真实数字。",
    },
    "digits.anim.stale": {
        "en": "Training: the animation and the mistakes show the model as it was when training started; "
        "they refresh when you pause.",
        "zh": "训练中：动画和错误列表显示的是开始训练时的模型；暂停后会更新。",
    },
    "digits.section": {"en": "Show", "zh": "显示"},
    "digits.tab.mistakes": {"en": "Mistakes", "zh": "认错的图片"},
    "digits.tab.draw": {"en": "Draw a digit", "zh": "自己写一个数字"},
    "digits.mistakes.caption": {
        "en": "Rows: the true digit; columns: the network's answer. Click a red cell to see those test images.",
        "zh": "行：真实数字；列：网络的答案。点击红色格子查看这些测试图片。",
    },
    "digits.mistakes.pick": {"en": "Mistakes to show", "zh": "要查看的错误"},
    "digits.mistakes.option": {"en": "{true} read as {pred} ({n})", "zh": "{true} 被认成 {pred}（{n} 张）"},
    "digits.mistakes.none": {"en": "No mistakes: every test digit is right.", "zh": "没有错误：所有测试数字都认对了。"},
    "digits.mistakes.images": {
        "en": "Test images with true digit {true} that the network reads as {pred}. The animation above shows no. {index}.",
        "zh": "真实数字为 {true}、却被网络认成 {pred} 的测试图片。上方动画显示的是第 {index} 张。",
    },
    "digits.mistakes.thumb": {"en": "no. {index}", "zh": "第 {index} 张"},
    "digits.draw.caption": {
        "en": "Draw one digit with the mouse (or a finger). It is shrunk to the model's {rows}×{cols} grid "
        "the way the training images were made, then read row by row.",
        "zh": "用鼠标（或手指）写一个数字。它会按训练图片的制作方式缩小到模型的 {rows}×{cols} 网格，再逐行读入。",
    },
    "digits.draw.empty": {"en": "Draw a digit in the box.", "zh": "请在框里写一个数字。"},
    "digits.draw.result": {"en": "The network reads your digit as **{guess}** ({p}).", "zh": "网络认为你写的是 **{guess}**（{p}）。"},
    "digits.draw.unavailable": {
        "en": "Drawing needs the streamlit-drawable-canvas package, which is not installed here.",
        "zh": "写数字需要 streamlit-drawable-canvas 组件，这里没有安装。",
    },
    "digits.fig.test_acc": {"en": "test accuracy", "zh": "测试正确率"},
    "digits.fig.reached": {"en": "97 % at step {step}", "zh": "第 {step} 步达到 97 %"},
    "digits.fig.after_row": {
        "en": "After row {row} of {rows}: guess {guess} ({p})",
        "zh": "读完第 {row} / {rows} 行：猜 {guess}（{p}）",
    },
    "digits.fig.final_right": {"en": "true label {label} ✓", "zh": "真实标签 {label} ✓"},
    "digits.fig.final_wrong": {"en": "true label {label} ✗", "zh": "真实标签 {label} ✗"},
    "digits.fig.row_prefix": {"en": "rows read: ", "zh": "已读行数："},
    "digits.fig.pixel_hover": {"en": "row %{y}, column %{x}: %{z}", "zh": "第 %{y} 行，第 %{x} 列：%{z}"},
    "digits.fig.bar_hover": {"en": "digit %{x}: %{y:.1%}", "zh": "数字 %{x}：%{y:.1%}"},
    "digits.fig.predicted": {"en": "network's answer", "zh": "网络的答案"},
    "digits.fig.true": {"en": "true digit", "zh": "真实数字"},
    "digits.fig.confusion_hover": {"en": "true %{y}, answer %{x}: %{z} images", "zh": "真实 %{y}，答案 %{x}：%{z} 张"},
    "digits.fig.confusion_click": {
        "en": "true %{y}, answer %{x}: click to see them",
        "zh": "真实 %{y}，答案 %{x}：点击查看",
    },
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


def initial_language(locale: str | None) -> str:
    """The language a new session starts in: Simplified Chinese for a browser set to any Chinese
    locale (zh, zh-CN, zh-TW, ...), else English. `locale` is the browser's (st.context.locale)."""
    return "zh" if (locale or "").lower().startswith("zh") else DEFAULT_LANGUAGE


def language_selector() -> str:
    """Sidebar toggle English / 简体中文; the choice lives in st.session_state["lang"]. A new
    session starts in the browser's language (initial_language)."""
    import streamlit as st

    if "lang" not in st.session_state:
        st.session_state.lang = initial_language(st.context.locale)
    st.sidebar.segmented_control(
        t("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        required=True,  # clicking the chosen language keeps it (not: no language at all)
        label_visibility="collapsed",
    )
    return st.session_state.lang
