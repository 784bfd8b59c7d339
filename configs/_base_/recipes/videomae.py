# VideoMAE ViT-B/16 (the backbone of MAE-DFER), MMAction2's own
# VisionTransformer and TimeSformerHead, fine-tuned on this plugin's DFER
# pipelines, sampler and metric with MAE-DFER's fine-tuning recipe
# (github.com/sunlicai/MAE-DFER, run_class_finetuning.py): AdamW, betas
# 0.9 / 0.999, weight decay 0.05, learning rate 1e-3 per 256 clips, layer
# decay 0.75, drop path 0.1, 5 warm-up epochs then a cosine to epoch 100.
# Not carried over: mixup and label smoothing. The pretrained weights are a
# checkpoint in MMAction2's format (keys backbone.*), e.g. MMAction2's
# VideoMAE ViT-B Kinetics-400 file:
#   VIDEOMAE_CHECKPOINT=/path/to/vit-base-p16_videomae-k400-pre.pth
_base_ = [
    '../datasets/dfer.py', '../schedules/sgd.py', '../default_runtime.py'
]

model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='VisionTransformer',
        img_size=_base_.image_size,
        patch_size=16,
        embed_dims=768,
        depth=12,
        num_heads=12,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=_base_.clip_len,
        drop_path_rate=0.1,
        norm_cfg=dict(type='LN', eps=1e-6),
        init_cfg=dict(
            type='Pretrained',
            prefix='backbone.',
            checkpoint='{{$VIDEOMAE_CHECKPOINT:'
            'checkpoints/videomae/vit-base-p16_videomae-k400-pre.pth}}')),
    cls_head=dict(
        type='TimeSformerHead',
        num_classes=7,
        in_channels=768,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=1e-3 * 64 / 256,
        betas=(0.9, 0.999),
        weight_decay=0.05),
    constructor='LearningRateDecayOptimizerConstructor',
    paramwise_cfg=dict(
        _delete_=True, decay_rate=0.75, decay_type='layer_wise',
        num_layers=12))
train_cfg = dict(max_epochs=100)
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
        T_max=95,
        eta_min=0,
        by_epoch=True,
        begin=5,
        end=100,
        convert_to_iter_based=True)
]
