"""App-wide strings: the app, navigation, languages and operand messages. English and Simplified Chinese: see rnn_app.ui.strings."""

STRINGS: dict[str, dict[str, str]] = {
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
}
