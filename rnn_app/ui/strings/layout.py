"""Strings of the animation controls and of the narrow layouts (short row names). English and Simplified Chinese: see rnn_app.ui.strings."""

STRINGS: dict[str, dict[str, str]] = {
    "anim.controls": {"en": "Animation controls", "zh": "动画控制"},
    "anim.slider": {"en": "Timestep (← / → move one column)", "zh": "时间步（← / → 移动一列）"},
    "anim.at": {"en": "t = {k} of 0–{last}", "zh": "第 t = {k} 步，共 0–{last}"},
    "digits.anim.at": {"en": "rows read: {n} of {total}", "zh": "已读 {n} / {total} 行"},
    "digits.anim.slider": {"en": "Rows read (← / → one row)", "zh": "已读行数（← / → 移动一行）"},
    "train.fig.row.belief.short": {"en": "implied carry", "zh": "推断进位"},
    "train.fig.row.net.short": {"en": "network", "zh": "网络"},
    "train.fig.row.truth.short": {"en": "true sum", "zh": "正确"},
    "train.fig.row.prob.short": {"en": "p(1)", "zh": "p(1)"},
    "train.fig.t": {"en": "timestep t", "zh": "时间步 t"},
}
