"""App-wide strings: the app, navigation, languages and operand messages. English and Simplified Chinese: see rnn_app.ui.strings."""

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "RNN Adder Lab", "zh": "RNN 加法实验室"},
    "app.language": {"en": "Language", "zh": "语言"},
    "nav.train": {"en": "Train", "zh": "训练"},
    "nav.inside": {"en": "Inside the network", "zh": "网络内部"},
    "nav.digits": {"en": "Digits, row by row", "zh": "逐行读数字"},
    "common.coming_soon": {"en": "This page is being built.", "zh": "本页正在建设中。"},
    "list.sep": {"en": ", ", "zh": "、"},  # between the items of a list in a sentence
    "operand.empty": {
        "en": "Type a number from 0 to {max}, e.g. {example} (wider numbers: the Bits setting, now {bits}).",
        "zh": "请输入 0 到 {max} 之间的数，例如 {example}（更大的数请调整“位数”设置，当前为 {bits}）。",
    },
    "operand.negative": {"en": "Only numbers from 0 up: no negative operands.", "zh": "只能输入 0 或正整数，不能是负数。"},
    "operand.not_a_number": {
        "en": "Not a number: use digits (200) or binary with 0b (0b11001000).",
        "zh": "不是有效的数：请用十进制（200）或带 0b 的二进制（0b11001000）。",
    },
    "operand.too_wide": {
        "en": "Too big for {bits} bits: the largest is {max} ({max_bin}).",
        "zh": "超出 {bits} 位：最大只能是 {max}（{max_bin}）。",
    },
    "link.notice": {"en": "Some settings in this link were not used:", "zh": "链接中有些设置没有使用："},
    "link.dismiss": {"en": "Dismiss", "zh": "知道了"},
    "link.bad_range": {
        "en": "{name}={value} is out of range: {label} goes from {low} to {high}.",
        "zh": "{name}={value} 超出范围：{label}只能取 {low} 到 {high}。",
    },
    "link.bad_number": {
        "en": "{name}={value} is not a number: {label} goes from {low} to {high}.",
        "zh": "{name}={value} 不是数字：{label}只能取 {low} 到 {high}。",
    },
    "link.bad_choice": {
        "en": "{name}={value} is not one of the choices: {label} can be {options}.",
        "zh": "{name}={value} 不在可选范围内：{label}只能是 {options}。",
    },
    "link.bad_text": {"en": "{name} is too long: at most {max} characters.", "zh": "{name} 太长：最多 {max} 个字符。"},
    "link.copy": {"en": "Copy link", "zh": "复制链接"},
    "link.copied": {"en": "Link copied", "zh": "链接已复制"},
    "link.copy.help": {
        "en": "A link to this setup (settings, numbers, page and language): whoever opens it starts the same "
        "run from step 0. It never carries your trained network.",
        "zh": "这套设置的链接（设置、数字、页面和语言）：打开它的人会从第 0 步开始同样的训练。链接不包含你训练好的网络。",
    },
    "transfer.title": {"en": "Save or load the model", "zh": "保存或载入模型"},
    "transfer.model": {"en": "Download the model (.npz)", "zh": "下载模型（.npz）"},
    "transfer.model.help": {
        "en": "Weights, optimiser state, step and curve: upload it later (or on another computer) to train on.",
        "zh": "权重、优化器状态、步数和曲线：以后（或在另一台电脑上）上传即可继续训练。",
    },
    "transfer.curve": {"en": "Download the curve (.csv)", "zh": "下载学习曲线（.csv）"},
    "transfer.upload": {"en": "Train on a downloaded model (.npz)", "zh": "上传模型（.npz）继续训练"},
    "transfer.upload.help": {
        "en": "A model this page saved, at most {mb} MB. It replaces the network in use.",
        "zh": "本页保存的模型，最大 {mb} MB。它会替换当前使用的网络。",
    },
    "transfer.refused": {
        "en": "This file was not used, your network is as it was: {reason}",
        "zh": "没有使用这个文件，你的网络保持不变：{reason}",
    },
    "transfer.loaded": {
        "en": "Loaded: the uploaded network, at step {step}. Press Train to go on.",
        "zh": "已载入上传的网络（第 {step} 步）。按“训练”继续。",
    },
    "persist.restored": {"en": "Welcome back: your network is here again, at step {step}.", "zh": "欢迎回来：你的网络已恢复，第 {step} 步。"},
    "persist.restored_setup": {
        "en": "Welcome back: your setup is here again (not trained yet).",
        "zh": "欢迎回来：你的设置已恢复（还没有训练）。",
    },
    "persist.copied": {
        "en": "Your network is open in another tab: this tab works on its own copy (step {step}).",
        "zh": "你的网络在另一个标签页中打开着：这个标签页使用它的副本（第 {step} 步）。",
    },
    "persist.unreadable": {
        "en": "Your saved network could not be read, so this is a fresh one.",
        "zh": "无法读取你保存的网络，这是一个新的网络。",
    },
}
