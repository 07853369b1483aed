"""Strings of the Train page (rnn_app/train). English and Simplified Chinese: see rnn_app.ui.strings."""

STRINGS: dict[str, dict[str, str]] = {
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
    "train.help.exact_estimate": {
        "en": "Share of {pairs} operand pairs of {bits} bits whose whole sum is right (step {step}): an estimate, "
        "because checking all {total} pairs of the full evaluation would take about {seconds} s of this server "
        "each time the weights change. A run not solved yet has all {total} checked once the estimate reads "
        "100 %: only that marks it solved.",
        "zh": "{pairs} 对 {bits} 位操作数中，整个和完全算对的比例（第 {step} 步）。这是估计值：完整评估的全部 "
        "{total} 对在这台服务器上每次权重改变都要约 {seconds} 秒。尚未解决的训练在估计值达到 100 % 时会检查全部 "
        "{total} 对：只有这样才算解决。",
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
    "train.stalled": {
        "en": "The loss has not gone down for {window} steps. Some setups wait on a plateau before they learn (the "
        "classic one can take a few thousand steps); if it stays, try a lower learning rate, or Adam.",
        "zh": "损失已经 {window} 步没有下降了。有些设置要在平台期停留一阵才开始学习（经典设置可能需要几千步）；"
        "如果一直如此，请调低学习率，或改用 Adam。",
    },
    "train.rebuilt": {
        "en": "New model: {fields} changed, so training starts again from step 0.",
        "zh": "已新建模型：{fields} 改变了，训练从第 0 步重新开始。",
    },
    "train.bad_config": {"en": "These settings do not fit together: {reason}", "zh": "这些设置不兼容：{reason}"},
    "train.settings": {"en": "Settings", "zh": "设置"},
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
    # short: a select box in the sidebar shows ~25 characters; the page's "In use" line has the details
    "train.preset.classic": {"en": "Classic numpy tutorial", "zh": "经典 numpy 教程"},
    "train.preset.tf": {"en": "TensorFlow LSTM adder", "zh": "TensorFlow LSTM 加法器"},
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
    "train.in_use": {
        "en": "In use: {cell}, {hidden} hidden units × {layers} · {optimizer}, learning rate {lr}, batch {batch} · "
        "{bits}-bit numbers · {loss} · clipping {clip} · dropout {dropout} · {init} · seed {seed} · speed {speed}",
        "zh": "当前使用：{cell}，{hidden} 个隐藏单元 × {layers} · {optimizer}，学习率 {lr}，批量 {batch} · "
        "{bits} 位数 · {loss} · 梯度裁剪 {clip} · dropout {dropout} · {init} · 种子 {seed} · 速度 {speed}",
    },
    "train.in_use.layer": {"en": "1 layer", "zh": "1 层"},
    "train.in_use.layers": {"en": "{n} layers", "zh": "{n} 层"},
    "train.in_use.off": {"en": "off", "zh": "关"},
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
    "train.anim.none": {"en": "Fix the operands above to see the addition.", "zh": "请先改正上面的操作数。"},
    "train.anim.caption": {
        "en": "Read it like written addition: column t holds bit t, least significant on the right, and time "
        "runs right to left. A purple 1 and arrow carry a 1 into the next column (the true carry). The "
        "network has no carry wire, so the carry it believes in is read from its answer: its sum bit must be "
        "a ⊕ b ⊕ carry, so the implied carry is p(1) where a and b agree and 1 − p(1) where they differ. "
        "Orange with a ✗ marks a wrong bit. Below: the top layer's hidden state at each step.",
        "zh": "按竖式加法来读：第 t 列是第 t 位，最低位在最右边，时间从右往左走。紫色的 1 和箭头表示把 1 进位到下一列"
        "（真实的进位）。网络里没有专门的“进位线”，它“认为”的进位只能从它的答案推出来：和的这一位应等于 a ⊕ b ⊕ 进位，"
        "所以当 a、b 两位相同时推断的进位是 p(1)，不同时是 1 − p(1)。橙色并带 ✗ 的是算错的位。下方是顶层隐藏状态在每一步的值。",
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
}
