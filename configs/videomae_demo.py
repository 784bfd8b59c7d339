# configs/videomae_dfew.py's model at the demo's size: MMAction2's
# VisionTransformer (VideoMAE) with 2 blocks of width 64 on 32 px frames,
# trained from scratch on the demo faces, with the recipe's AdamW, layer
# decay and warm-up, in 50 epochs (docs/benchmark.md).
_base_ = ['a3lign_demo.py']

model = dict(
    _delete_=True,
    type='Recognizer3D',
    backbone=dict(
        type='VisionTransformer',
        img_size=_base_.image_size,
        patch_size=8,
        embed_dims=64,
        depth=2,
        num_heads=2,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=_base_.clip_len,
        drop_path_rate=0.1,
        norm_cfg=dict(type='LN', eps=1e-6)),
    cls_head=dict(
        type='TimeSformerHead',
        num_classes=6,
        in_channels=64,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(
    optimizer=dict(betas=(0.9, 0.999), weight_decay=0.05),
    constructor='LearningRateDecayOptimizerConstructor',
    paramwise_cfg=dict(
        _delete_=True, decay_rate=0.75, decay_type='layer_wise',
        num_layers=2))
train_cfg = dict(max_epochs=50)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=True,
        begin=0,
        end=5,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=45,
        eta_min=0,
        by_epoch=True,
        begin=5,
        end=50,
        convert_to_iter_based=True)
]
