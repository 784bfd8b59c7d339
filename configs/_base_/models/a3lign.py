# A³lign-DFER: a frozen CLIP, the JAS neck and the MAT head. Which CLIP, and
# where its weights are, comes from a per-CLIP file beside this one
# (a3lign_vit-l-14.py, a3lign_vit-b-16.py, a3lign_clip-tiny.py); without
# weights (checkpoint=None) the CLIP is random-init.
model = dict(
    type='CLIPRecognizer',
    clip=dict(checkpoint=None),
    backbone=dict(type='CLIPVisionBackbone'),
    neck=dict(type='JASNeck', num_frames=16, num_sentences=16),
    cls_head=dict(
        type='MATHead', num_classes=7, num_sentences=16, num_tokens=64),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[122.771, 116.746, 104.093],
        std=[68.500, 66.632, 70.323],
        format_shape='NCTHW'))
