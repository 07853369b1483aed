"""Strings of why a run diverged (rnn.optim.safe_update's reasons, in the viewer's language)."""

STRINGS = {
    "diverged.nonfinite": {
        "en": "the loss or a gradient became infinite or NaN at step {step}",
        "zh": "第 {step} 步时损失或梯度变成了无穷大或 NaN",
    },
    "diverged.exploded": {
        "en": "the gradient exploded (norm {norm}) at step {step}; a lower learning rate alone will not help "
        "here, gradient clipping will",
        "zh": "第 {step} 步时梯度爆炸（范数 {norm}）；这时只调低学习率没有用，要打开梯度裁剪",
    },
    "diverged.weight": {
        "en": "a weight would have grown to {value} at step {step}: the learning rate ({lr}) is too large",
        "zh": "第 {step} 步时有一个权重会涨到 {value}：学习率（{lr}）太大了",
    },
}
