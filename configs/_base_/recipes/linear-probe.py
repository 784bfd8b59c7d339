# Linear probe: the frozen CLIP ViT-L/14, the mean of a clip's normalised
# frame embeddings, and MMAction2's I3DHead as a linear classifier (no
# dropout), trained with AdamW for 100 epochs under one cosine. For another
# CLIP, set model.cls_head.in_channels to its embedding size.
_base_ = ['vit-l-14.py']

model = dict(
    neck=dict(_delete_=True, type='TemporalMeanNeck'),
    cls_head=dict(
        _delete_=True,
        type='I3DHead',
        num_classes=7,
        in_channels=768,
        dropout_ratio=0,
        average_clips='prob'))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=1e-4),
    paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=100)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=100,
        eta_min=0,
        by_epoch=True,
        convert_to_iter_based=True)
]
