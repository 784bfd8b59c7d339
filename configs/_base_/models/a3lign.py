# A³lign-DFER: a frozen CLIP, the JAS neck and the MAT head. Which CLIP, and
# where its weights are, comes from a recipe (_base_/recipes/vit-l-14.py,
# vit-b-16.py) or the demo; without weights (checkpoint=None) the CLIP is
# random-init. The frame size and T come from the pipelines
# (_base_/recipes/a3lign.py).
model = dict(
    type='CLIPRecognizer',
    clip=dict(checkpoint=None),
    backbone=dict(type='CLIPVisionBackbone'),
    neck=dict(type='JASNeck'),
    cls_head=dict(type='MATHead', num_classes=7, num_tokens=64),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[122.771, 116.746, 104.093],
        std=[68.500, 66.632, 70.323],
        format_shape='NCTHW'))
