# DFER-CLIP's recipe on the demo faces with the demo's tiny CLIP: the image
# tower fine-tuned at 1e-3 of the learning rate, the temporal transformer of
# DFER-CLIP, 8 context tokens per class before the class's text, the
# learning rates x0.1 at epochs 30 and 40 of 50 (docs/benchmark.md). AdamW,
# as in the demo: SGD stays at chance on the tiny random CLIP.
_base_ = ['a3lign_demo.py']

from a3lign_mmaction.datasets import DEMO_CLASSES  # noqa: E402

model = dict(
    backbone=dict(trainable_blocks=-1),
    neck=dict(
        num_sentences=None,
        normalize_inputs=False,
        encoder=dict(type='TemporalTransformer', mlp_ratio=2,
                     final_norm=False)),
    cls_head=dict(
        _delete_=True,
        type='PromptHead',
        num_classes=6,
        class_texts=[f'a face, {name}.' for name in DEMO_CLASSES],
        num_tokens=8,
        class_specific=True))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=1e-3)}))
train_cfg = dict(max_epochs=50)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[30, 40], gamma=0.1, by_epoch=True)
]
