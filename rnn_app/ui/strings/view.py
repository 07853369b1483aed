"""Strings of the view options: projector mode and the teacher's view (hidden settings)."""

STRINGS = {
    "view.projector": {"en": "Projector mode", "zh": "投影模式"},
    "view.projector.help": {"en": "Big text, high-contrast charts and thick lines, readable from the back of a room. "
                                  "The link keeps it (?projector=1).",
                            "zh": "大字号、高对比度图表和粗线条，教室后排也看得清。链接会记住这个设置（?projector=1）。"},
    "view.teacher": {"en": "Teacher's view: hide settings", "zh": "教师视图：隐藏设置"},
    "view.teacher.help": {"en": "Hide the settings students should not touch, then share the page's link "
                                "(Copy link): students who open it see only the rest.",
                          "zh": "隐藏不希望学生改动的设置，再分享本页链接（复制链接）：学生打开后只看到其余设置。"},
    "view.hide": {"en": "Hide these settings", "zh": "隐藏这些设置"},
    "view.hide.link": {"en": "Hidden here too. The link in the address bar now hides them for everyone who opens it.",
                       "zh": "本页也已隐藏。地址栏中的链接现在会为每个打开它的人隐藏这些设置。"},
    "view.locked": {"en": "Some settings are set by your teacher's link; the line \"In use\" shows them.",
                    "zh": "部分设置由老师的链接固定；“正在使用”一行会显示它们。"},
    "view.field.preset": {"en": "Preset", "zh": "预设"},
    "view.field.cell": {"en": "Cell", "zh": "单元类型"},
    "view.field.activation": {"en": "Activation", "zh": "激活函数"},
    "view.field.hidden": {"en": "Hidden size", "zh": "隐藏层大小"},
    "view.field.layers": {"en": "Layers", "zh": "层数"},
    "view.field.lr": {"en": "Learning rate", "zh": "学习率"},
    "view.field.optimizer": {"en": "Optimiser", "zh": "优化器"},
    "view.field.batch": {"en": "Batch size", "zh": "批大小"},
    "view.field.bits": {"en": "Bits", "zh": "位数"},
    "view.field.speed": {"en": "Speed", "zh": "速度"},
    "view.field.more": {"en": "More settings", "zh": "更多设置"},
}
