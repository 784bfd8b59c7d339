# Zero-shot CLIP on the demo faces, with the demo's tiny random-init CLIP:
# the route of configs/zeroshot-clip_dfew.py, scored without training
# (docs/benchmark.md):
#   python tools/test.py configs/zeroshot-clip_demo.py none
# A random CLIP knows no expressions, so it scores about chance.
_base_ = ['a3lign_demo.py']

from a3lign_mmaction.datasets import DEMO_CLASSES  # noqa: E402

model = dict(
    neck=dict(_delete_=True, type='TemporalMeanNeck'),
    cls_head=dict(
        _delete_=True,
        type='PromptHead',
        num_classes=6,
        class_texts=[[f'a photo of a face, {name}.', f'a {name} face.']
                     for name in DEMO_CLASSES],
        num_tokens=0))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
# tools/test.py CONFIG none: nothing to load but CLIP's weights.
runner_type = 'ZeroShotRunner'
