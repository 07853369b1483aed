"""Strings of the hardening work: a section that failed to draw, the MNIST uploader of a hosted copy."""

STRINGS = {
    "harden.section_failed": {
        "en": "This part failed to draw; the rest of the page and your run are fine.",
        "zh": "这一部分没能显示出来；页面的其他部分和你的训练都不受影响。",
    },
    "harden.upload_mnist": {"en": "Upload the four MNIST files", "zh": "上传四个 MNIST 文件"},
    "harden.upload_mnist.help": {
        "en": "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
        "t10k-labels-idx1-ubyte; each may end in .gz (about five times smaller to upload). At most {mb} MB a file.",
        "zh": "train-images-idx3-ubyte、train-labels-idx1-ubyte、t10k-images-idx3-ubyte 和 "
        "t10k-labels-idx1-ubyte；文件名可以带 .gz（压缩后上传快约五倍）。每个文件最多 {mb} MB。",
    },
}
