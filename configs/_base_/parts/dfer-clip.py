# The parts of DFER-CLIP (github.com/zengqunzhao/DFER-CLIP), under names of
# their own, for its recipe (recipes/dfer-clip.py) and its demo
# (dfer-clip_demo.py) to take:
# - a temporal transformer on the raw frame embeddings (depth 1, 8 heads,
#   MLP 2x, no final LayerNorm, a CLS token; learned time embedding);
# - 8 context tokens per class before the class's text, through the frozen
#   text tower;
# - the image tower at 1e-3 of the learning rate (1e-5 of SGD's 1e-2), the
#   context tokens at 0.1 (1e-3), the learning rates x0.1 at epochs 30 and
#   40 of 50.
dfer_clip_neck = dict(
    num_sentences=None,
    normalize_inputs=False,
    encoder=dict(type='TemporalTransformer', mlp_ratio=2, final_norm=False))
dfer_clip_head = dict(
    type='PromptHead',
    num_classes=7,
    class_texts='dfer7_descriptions',
    num_tokens=8,
    class_specific=True)
dfer_clip_paramwise_cfg = dict(
    custom_keys={
        'backbone': dict(lr_mult=1e-3),
        'cls_head.prompts': dict(lr_mult=0.1)
    })
dfer_clip_epochs = 50
dfer_clip_param_scheduler = [
    dict(type='MultiStepLR', milestones=[30, 40], gamma=0.1, by_epoch=True)
]
