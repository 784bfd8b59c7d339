# The parts of the VideoMAE ViT-B/16 recipe, under names of their own, for
# the recipe (recipes/videomae.py) and its demo (videomae_demo.py) to take:
# MMAction2's VisionTransformer and TimeSformerHead, and MAE-DFER's
# fine-tuning schedule (github.com/sunlicai/MAE-DFER,
# run_class_finetuning.py): AdamW, betas 0.9 / 0.999, weight decay 0.05,
# learning rate 1e-3 per 256 clips, layer decay 0.75, drop path 0.1, 5
# warm-up epochs then a cosine to epoch 100.
videomae_backbone = dict(
    type='VisionTransformer',
    img_size=224,
    patch_size=16,
    embed_dims=768,
    depth=12,
    num_heads=12,
    mlp_ratio=4,
    qkv_bias=True,
    num_frames=16,
    drop_path_rate=0.1,
    norm_cfg=dict(type='LN', eps=1e-6))
videomae_model = dict(
    type='Recognizer3D',
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
videomae_optim_wrapper = dict(
    optimizer=dict(
        type='AdamW',
        lr=1e-3 * 64 / 256,
        betas=(0.9, 0.999),
        weight_decay=0.05),
    constructor='LearningRateDecayOptimizerConstructor',
    paramwise_cfg=dict(
        decay_rate=0.75, decay_type='layer_wise', num_layers=12))
videomae_epochs = 100
videomae_param_scheduler = [
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
