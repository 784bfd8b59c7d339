# A linear probe on the demo's tiny CLIP: the mean of the frame embeddings
# and MMAction2's I3DHead as a linear classifier, 50 epochs of AdamW under
# one cosine (docs/benchmark.md).
_base_ = ['a3lign_demo.py']

model = dict(
    neck=dict(_delete_=True, type='TemporalMeanNeck'),
    cls_head=dict(
        _delete_=True,
        type='I3DHead',
        num_classes=6,
        in_channels=64,
        dropout_ratio=0,
        average_clips='prob'))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=50)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=50,
        eta_min=0,
        by_epoch=True,
        convert_to_iter_based=True)
]
