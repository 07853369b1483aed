"""Strings of the Digits, row by row page (rnn_app/digits). English and Simplified Chinese: see rnn_app.ui.strings."""

STRINGS: dict[str, dict[str, str]] = {
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
        "en": "Rows: the true digit; columns: the network's answer. Click an orange cell off the diagonal to see those test images.",
        "zh": "行：真实数字；列：网络的答案。点击对角线以外的橙色格子查看这些测试图片。",
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
