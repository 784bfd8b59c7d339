# configs/a3lign_demo.py without MAT: 16 learned context tokens before each
# class name (PromptHead), one sentence per class, the JAS neck's video side
# only (docs/benchmark.md).
_base_ = ['a3lign_demo.py']

from a3lign_mmaction.datasets import DEMO_CLASSES  # noqa: E402

model = dict(
    neck=dict(num_sentences=None),
    cls_head=dict(
        _delete_=True,
        type='PromptHead',
        num_classes=6,
        class_texts=list(DEMO_CLASSES),
        num_tokens=16))
