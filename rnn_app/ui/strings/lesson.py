"""Strings of the Lesson page (rnn_app/lesson) and its "Back to the lesson" banner. English and
Simplified Chinese: see rnn_app.ui.strings."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.lesson": {"en": "Lesson", "zh": "课程"},
    "lesson.title": {
        "en": "A guided lesson: how a network learns to add",
        "zh": "课程：网络是怎样学会加法的",
    },
    "lesson.intro": {
        "en": "Eight short steps. Each one says what to look at, sets the page up for you with one button, and asks "
        "a question: answer it first, then see if you were right.",
        "zh": "一共八个小步骤。每一步告诉你看什么，用一个按钮帮你把页面设置好，再问一个问题：先回答，再看答案。",
    },
    "lesson.progress": {"en": "Step {n} of {total}", "zh": "第 {n} 步，共 {total} 步"},
    "lesson.steps": {"en": "Steps", "zh": "步骤"},
    "lesson.prev": {"en": "← Previous", "zh": "← 上一步"},
    "lesson.next": {"en": "Next →", "zh": "下一步 →"},
    "lesson.question": {"en": "Question", "zh": "问题"},
    "lesson.answer": {"en": "Your answer", "zh": "你的答案"},
    "lesson.right": {"en": "Right!", "zh": "答对了！"},
    "lesson.wrong": {"en": "Not quite: the answer is “{answer}”.", "zh": "不太对：答案是“{answer}”。"},
    "lesson.score": {
        "en": "Questions right: {right} of {total} · Predict then reveal: {points} of {possible} points",
        "zh": "答对的问题：{right} / {total} · 先预测再揭晓：{points} / {possible} 分",
    },
    "lesson.back": {"en": "Back to the lesson", "zh": "回到课程"},
    "lesson.back.banner": {
        "en": "Lesson, step {n}: {title} — {question}",
        "zh": "课程第 {n} 步：{title} —— {question}",
    },
    "lesson.back.section": {"en": "Go to the section", "zh": "跳到这一节"},
    # ---- predict then reveal -----------------------------------------------------------------------
    "lesson.quiz.numbers": {
        "en": "Your two numbers (0 to {max}: the network adds {bits}-bit numbers)",
        "zh": "你的两个数（0 到 {max}：网络做的是 {bits} 位加法）",
    },
    "lesson.quiz.start": {"en": "Start with these numbers", "zh": "用这两个数开始"},
    "lesson.quiz.hard": {"en": "A harder round: wider numbers", "zh": "更难的一轮：更宽的数"},
    "lesson.quiz.hard.help": {
        "en": "Numbers {extra} bits wider than the network was trained on, chosen so that the network makes a mistake.",
        "zh": "比网络训练时宽 {extra} 位的数，特意挑了网络会算错的。",
    },
    "lesson.quiz.hard.intro": {
        "en": "Harder round: {bits}-bit numbers, wider than the {trained} bits the network learned on. For each column "
        "also say whether the network will get its bit right.",
        "zh": "更难的一轮：{bits} 位的数，比网络学过的 {trained} 位更宽。每一列还要预测：网络这一位会算对吗？",
    },
    "lesson.quiz.halfway": {
        "en": "Your network gets every one of these wider sums right, so this round uses the same network stopped "
        "halfway through its training (step {step}): it still makes mistakes.",
        "zh": "你的网络连这些更宽的加法也全部算对了，所以这一轮用同样的网络、在训练到一半（第 {step} 步）时的样子：它还会出错。",
    },
    "lesson.quiz.column": {
        "en": "Column {k} from the right: {a} + {b} + carry {c} = ?",
        "zh": "从右数第 {k} 列：{a} + {b} + 进位 {c} = ?",
    },
    "lesson.quiz.sum": {"en": "Sum bit you write", "zh": "这一位写"},
    "lesson.quiz.carry": {"en": "Carry to the next column", "zh": "向下一列进位"},
    "lesson.quiz.net": {"en": "Will the network get this bit right?", "zh": "网络这一位会算对吗？"},
    "lesson.quiz.yes": {"en": "yes", "zh": "会"},
    "lesson.quiz.no": {"en": "no", "zh": "不会"},
    "lesson.quiz.check": {"en": "Check this column", "zh": "揭晓这一列"},
    "lesson.quiz.pick": {"en": "Choose a sum bit and a carry first.", "zh": "请先选好这一位和进位。"},
    "lesson.quiz.last": {
        "en": "Column {k}: you said {guess}; it is {truth}; the network wrote {net} ({prob:.0%} sure it is 1). {verdict}",
        "zh": "第 {k} 列：你说 {guess}；正确是 {truth}；网络写了 {net}（认为是 1 的把握 {prob:.0%}）。{verdict}",
    },
    "lesson.quiz.guess": {"en": "write {s}, carry {c}", "zh": "写 {s}，进 {c}"},
    "lesson.quiz.points": {"en": "+{p} of {n}", "zh": "得 {p} / {n} 分"},
    "lesson.quiz.done": {
        "en": "Round over: {points} of {possible} points. The network got {net} of {columns} columns right.",
        "zh": "本轮结束：{points} / {possible} 分。网络算对了 {columns} 列中的 {net} 列。",
    },
    "lesson.quiz.row.carry": {"en": "carry", "zh": "进位"},
    "lesson.quiz.row.sum": {"en": "sum", "zh": "和"},
    "lesson.quiz.row.net": {"en": "network", "zh": "网络"},
    "lesson.quiz.row.you": {"en": "you", "zh": "你"},
    "lesson.quiz.hardest": {"en": "Which columns were hardest for you", "zh": "哪种列对你最难"},
    "lesson.quiz.kind.none": {"en": "no carry", "zh": "没有进位"},
    "lesson.quiz.kind.in": {"en": "a carry comes in", "zh": "有进位进来"},
    "lesson.quiz.kind.out": {"en": "makes a carry", "zh": "产生进位"},
    "lesson.quiz.kind.both": {"en": "a carry comes in and one goes out", "zh": "既有进位进来，又产生进位"},
    "lesson.quiz.kind.row": {
        "en": "{kind}: {wrong:.0%} wrong, of {asked}",
        "zh": "{kind}：错了 {wrong:.0%}（共 {asked} 列）",
    },
    "lesson.quiz.net_score": {
        "en": "Guessing the network: right {right} of {asked} times.",
        "zh": "预测网络对不对：{asked} 次中猜对 {right} 次。",
    },
    # ---- the steps ---------------------------------------------------------------------------------
    "lesson.carry.title": {"en": "What is the carry?", "zh": "什么是进位？"},
    "lesson.carry.text": {
        "en": "When you add on paper you go from right to left, one column at a time: add the two digits and the carry "
        "from the column before, write one digit, carry the rest. In binary the digits are 0 and 1, so 1 + 1 = 10: "
        "write 0, carry 1. The network works the same way, one column per timestep, and it must keep the carry in "
        "its hidden state; on the Train page the purple arrows are the carries.",
        "zh": "在纸上列竖式做加法，我们从右往左一列一列地算：这一列的两个数字加上前一列的进位，写下一位，多出来的进到下一列。"
        "二进制只有 0 和 1，所以 1 + 1 = 10：写 0，进 1。网络也是这样算的，每个时间步算一列，进位要记在它的隐藏状态里；"
        "训练页上紫色的箭头就是进位。",
    },
    "lesson.carry.button": {"en": "Show 11 + 7 on the Train page", "zh": "在训练页上看 11 + 7"},
    "lesson.carry.question": {
        "en": "In binary, a column holds 1 + 1 and a carry of 1 comes in: what do you write, and what do you carry?",
        "zh": "二进制里，某一列是 1 + 1，还有前一列进来的 1：这一列写几，进几？",
    },
    "lesson.carry.option.0": {"en": "write 1, carry 1", "zh": "写 1，进 1"},
    "lesson.carry.option.1": {"en": "write 0, carry 1", "zh": "写 0，进 1"},
    "lesson.carry.option.2": {"en": "write 3, carry 0", "zh": "写 3，不进位"},
    "lesson.carry.explain": {
        "en": "1 + 1 + 1 = 3, which is 11 in binary: write 1, carry 1. In 11 + 7 the carry travels through four columns.",
        "zh": "1 + 1 + 1 = 3，二进制是 11：写 1，进 1。在 11 + 7 里，进位一连传了四列。",
    },
    "lesson.train.title": {"en": "Train the classic network", "zh": "训练经典网络"},
    "lesson.train.text": {
        "en": "This is the network of the classic numpy tutorial: 16 sigmoid units, plain gradient descent (SGD), one "
        "example at a time, learning rate 0.1. Press **Train** and watch the learning curve: the loss, and the share "
        "of sums it gets exactly right. It may sit on a plateau for a while before it suddenly gets it.",
        "zh": "这是经典 numpy 教程里的网络：16 个 sigmoid 单元，普通梯度下降（SGD），每次只学一道题，学习率 0.1。"
        "按 **训练**，看学习曲线：损失，以及整题算对的比例。它可能会在平台期停留一阵子，然后突然学会。",
    },
    "lesson.train.button": {"en": "Set up the classic network", "zh": "设置经典网络"},
    "lesson.train.question": {
        "en": "What does the loss do before the network gets every sum right?",
        "zh": "在网络把所有加法都算对之前，损失是怎样变化的？",
    },
    "lesson.train.option.0": {"en": "It falls by the same amount every step", "zh": "每一步都下降同样多"},
    "lesson.train.option.1": {
        "en": "It stays nearly flat for a long time, then drops fast",
        "zh": "很长一段时间几乎不动，然后迅速下降",
    },
    "lesson.train.option.2": {"en": "It goes up", "zh": "一直上升"},
    "lesson.train.explain": {
        "en": "A plateau, then a drop: while the network cannot carry it can only get the columns without a carry "
        "right; once it learns to carry, the loss falls quickly.",
        "zh": "先是平台期，然后骤降：网络还不会进位时，只能算对没有进位的列；一旦学会了进位，损失就很快降下来。",
    },
    "lesson.predict.title": {"en": "Predict, then reveal", "zh": "先预测，再揭晓"},
    "lesson.predict.text": {
        "en": "Pick two numbers. Column by column, right to left, say which bit you write and whether you carry; then "
        "see the right answer and what the network wrote. Each sum bit and each carry scores a point; the harder "
        "round uses wider numbers and asks whether the network will be right.",
        "zh": "选两个数。从右往左一列一列地说出你写几、进不进位；然后揭晓正确答案和网络写的结果。每个本位和、每个进位各得 1 分；"
        "更难的一轮用更宽的数，还要预测网络会不会算对。",
    },
    "lesson.predict.button": {
        "en": "See these numbers in the carry animation",
        "zh": "在进位动画里看这两个数",
    },
    "lesson.predict.question": {
        "en": "A network that has not learned to carry yet: in which columns does it go wrong?",
        "zh": "一个还没学会进位的网络：它会在哪些列出错？",
    },
    "lesson.predict.option.0": {"en": "In the columns with no carry at all", "zh": "完全没有进位的列"},
    "lesson.predict.option.1": {"en": "Only in the leftmost column", "zh": "只有最左边的一列"},
    "lesson.predict.option.2": {"en": "In the columns a carry comes into", "zh": "有进位进来的列"},
    "lesson.predict.explain": {
        "en": "Without the carry it can only add the two bits of the column; it is wrong exactly where a carry comes in. "
        "Your own table of hardest columns shows where people go wrong.",
        "zh": "不会进位，它就只能把这一列的两个位相加；恰好在有进位进来的列会出错。下面“哪种列对你最难”是你自己的统计。",
    },
    "lesson.lr.title": {"en": "Break it: a learning rate too high", "zh": "把它弄坏：学习率太大"},
    "lesson.lr.text": {
        "en": "The learning rate says how big a step the weights take downhill. This setup uses momentum with a "
        "learning rate of 1.0. Press **Train** and watch the loss curve.",
        "zh": "学习率决定权重每一步沿着下坡走多大一步。这个设置用动量法，学习率为 1.0。按 **训练**，看损失曲线。",
    },
    "lesson.lr.button": {"en": "Set up a learning rate of 1.0", "zh": "把学习率设为 1.0"},
    "lesson.lr.question": {"en": "What happens to the loss?", "zh": "损失会怎样？"},
    "lesson.lr.option.0": {"en": "It falls faster than before", "zh": "比以前降得更快"},
    "lesson.lr.option.1": {"en": "It jumps up and never comes back down", "zh": "一下子跳上去，再也降不下来"},
    "lesson.lr.option.2": {"en": "Nothing changes", "zh": "没有任何变化"},
    "lesson.lr.explain": {
        "en": "The steps are so big that they jump over the valley and land higher each time: the loss shoots up to "
        "hundreds (training diverges). Lower the learning rate in the sidebar, e.g. to 0.08, and it learns again.",
        "zh": "步子太大，每次都跨过山谷、落到更高的地方：损失飙升到几百（训练发散）。在侧边栏把学习率调小，比如 0.08，它就又能学会了。",
    },
    "lesson.hidden.title": {"en": "Break it: too few hidden units", "zh": "把它弄坏：隐藏单元太少"},
    "lesson.hidden.text": {
        "en": "Now the network has only 2 hidden units. Press **Train** and let it run for a few thousand steps (the "
        "speed is at its maximum).",
        "zh": "现在网络只有 2 个隐藏单元。按 **训练**，让它跑几千步（速度已经调到最快）。",
    },
    "lesson.hidden.button": {"en": "Set up 2 hidden units", "zh": "设为 2 个隐藏单元"},
    "lesson.hidden.question": {
        "en": "Will it ever get every sum right?",
        "zh": "它最后能把所有加法都算对吗？",
    },
    "lesson.hidden.option.0": {"en": "No: it gets stuck", "zh": "不能：它会卡住"},
    "lesson.hidden.option.1": {"en": "Yes, only later", "zh": "能，只是慢一点"},
    "lesson.hidden.option.2": {"en": "Yes, faster, because it is smaller", "zh": "能，而且更快，因为它更小"},
    "lesson.hidden.explain": {
        "en": "Two units are too few to hold the carry and work out each sum bit: the exact accuracy stalls below "
        "half however long it trains. Raise the hidden size in the sidebar and find the smallest that solves it.",
        "zh": "两个单元太少，既要记住进位又要算出本位和，忙不过来：不管训练多久，整题正确率都卡在一半以下。"
        "在侧边栏把隐藏层调大，找出能学会的最小值。",
    },
    "lesson.gates.title": {
        "en": "Why plain RNNs forget, and how gates help",
        "zh": "普通 RNN 为什么会遗忘，门控怎样帮忙",
    },
    "lesson.gates.text": {
        "en": "To learn, the error at the last column is sent back through time, column by column (backpropagation "
        "through time). In a plain RNN it is multiplied by the recurrent weights and the slope of the activation at "
        "every step, so over 16 columns it can shrink to almost nothing: the network hardly learns from what happened "
        "long ago. Section 4 of the Inside page compares your RNN with fresh sigmoid, tanh, ReLU and LSTM networks on "
        "16-bit numbers; the LSTM's cell state is added to, not squashed, at each step.",
        "zh": "为了学习，最后一列的误差要沿时间一列一列地往回传（随时间反向传播）。在普通 RNN 里，它每一步都要乘上循环权重"
        "和激活函数的斜率，所以传过 16 列后可能几乎变成零：网络很难从很早以前发生的事情中学习。"
        "“网络内部”页第 4 节把你的 RNN 和新初始化的 sigmoid、tanh、ReLU、LSTM 网络在 16 位数上做比较；"
        "LSTM 的细胞状态每一步是累加的，而不是被压缩。",
    },
    "lesson.gates.button": {"en": "Show the gradients on 16-bit numbers", "zh": "看 16 位数上的梯度"},
    "lesson.gates.question": {
        "en": "Over 16 columns back, how much smaller does the fresh sigmoid RNN's gradient get?",
        "zh": "往回传 16 列，新初始化的 sigmoid RNN 的梯度会缩小多少？",
    },
    "lesson.gates.option.0": {"en": "About 2 times", "zh": "大约 2 倍"},
    "lesson.gates.option.1": {"en": "About 30 times", "zh": "大约 30 倍"},
    "lesson.gates.option.2": {"en": "More than a million times", "zh": "超过一百万倍"},
    "lesson.gates.explain": {
        "en": "The sigmoid's slope is at most 0.25, so each step back multiplies the gradient by a small number: after "
        "16 steps it is billions of times smaller. The LSTM's falls far less: its gates let the gradient through.",
        "zh": "sigmoid 的斜率最大只有 0.25，每往回一步梯度都要乘上一个小数：16 步后缩小了几十亿倍。LSTM 的梯度缩小得少得多："
        "它的门让梯度通过。",
    },
    "lesson.inside.title": {"en": "A look inside: the carry neuron", "zh": "看看内部：进位神经元"},
    "lesson.inside.text": {
        "en": "Section 2 of the Inside page asks, for every hidden unit, how closely it follows the carry: a trained "
        "network often keeps the carry in one unit, like the little 1 you write above the next column, and switching "
        "that unit off shows how much the network needs it. Section 7 is an adder wired by hand with 3 units.",
        "zh": "“网络内部”页第 2 节看每个隐藏单元和进位有多一致：训练好的网络常常把进位放在一个单元里，就像竖式里写在下一列上面的"
        "那个小 1；把这个单元关掉，就能看出网络有多需要它。第 7 节是一个用 3 个单元手工搭建的加法器。",
    },
    "lesson.inside.button": {"en": "Look inside a trained network", "zh": "看看训练好的网络内部"},
    "lesson.inside.question": {
        "en": "In the hand-wired adder (section 7), which unit is the carry?",
        "zh": "在手工搭建的加法器里（第 7 节），哪个单元是进位？",
    },
    "lesson.inside.option.0": {
        "en": "Unit 1: it fires when a + b + carry ≥ 1",
        "zh": "单元 1：a + b + 进位 ≥ 1 时激活",
    },
    "lesson.inside.option.1": {
        "en": "Unit 2: it fires when a + b + carry ≥ 2",
        "zh": "单元 2：a + b + 进位 ≥ 2 时激活",
    },
    "lesson.inside.option.2": {
        "en": "Unit 3: it fires when a + b + carry ≥ 3",
        "zh": "单元 3：a + b + 进位 ≥ 3 时激活",
    },
    "lesson.inside.explain": {
        "en": "A carry goes out exactly when at least two of a, b and the incoming carry are 1: unit 2, fed back to the "
        "next column.",
        "zh": "当 a、b 和进来的进位中至少有两个是 1 时，就会产生进位：这正是单元 2，它被反馈到下一列。",
    },
    "lesson.digits.title": {"en": "Reading a digit row by row", "zh": "逐行读一个数字"},
    "lesson.digits.text": {
        "en": "The same kind of network reads pictures too: an LSTM sees an 8×8 handwritten digit one row per timestep "
        "and must remember the rows it has seen. Press **Train**, then watch its guess for this 3 form row by row: "
        "the top half looks like a 9.",
        "zh": "同样的网络也能读图片：LSTM 每个时间步看一张 8×8 手写数字的一行，并且要记住已经看过的行。按 **训练**，"
        "然后看它对这个 3 的判断怎样一行一行形成：它的上半部分看起来像 9。",
    },
    "lesson.digits.button": {"en": "Open the digit 3 on the Digits page", "zh": "在数字页打开这个 3"},
    "lesson.digits.question": {
        "en": "Why can the network change its mind halfway down the picture?",
        "zh": "为什么网络读到一半会改变主意？",
    },
    "lesson.digits.option.0": {
        "en": "It only knows the rows it has read so far",
        "zh": "它只知道目前读过的那几行",
    },
    "lesson.digits.option.1": {"en": "The picture changes while it reads", "zh": "读的时候图片变了"},
    "lesson.digits.option.2": {"en": "It reads from the bottom up", "zh": "它是从下往上读的"},
    "lesson.digits.explain": {
        "en": "Like the carry, everything it knows about the rows above is in its hidden state: the top of a 3 and of "
        "a 9 look alike, and only the lower rows tell them apart.",
        "zh": "和进位一样，它对上面几行的全部了解都在隐藏状态里：3 和 9 的上半部分很像，只有下面几行才能把它们分开。",
    },
}
