# DFER-CLIP's recipe (_base_/parts/dfer-clip.py) on the demo faces with the
# demo's tiny CLIP, its image tower fine-tuned (docs/benchmark.md). AdamW,
# as in the demo: SGD stays at chance on the tiny random CLIP.
_base_ = ['a3lign_demo.py', '_base_/parts/dfer-clip.py']

from a3lign_mmaction.datasets import DEMO_CLASSES  # noqa: E402

model = dict(
    backbone=dict(trainable_blocks=-1),
    neck=_base_.dfer_clip_neck,
    cls_head=dict(
        _base_.dfer_clip_head,
        _delete_=True,
        num_classes=6,
        class_texts=[f'a face, {name}.' for name in DEMO_CLASSES]))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(paramwise_cfg=_base_.dfer_clip_paramwise_cfg)
train_cfg = dict(max_epochs=_base_.dfer_clip_epochs)
param_scheduler = _base_.dfer_clip_param_scheduler
