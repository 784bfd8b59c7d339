# The embedded demo: the full A³lign-DFER model with a tiny random-init CLIP
# on procedurally drawn faces (written to `data_root` on first use), where
# an expression forming and the same expression fading differ only in the
# order of their frames. Runs in minutes on a CPU:
#   python tools/train.py configs/a3lign_demo.py
_base_ = [
    '_base_/models/a3lign_clip-tiny.py', '_base_/default_runtime.py'
]

# Written on first use; the environment variable A3LIGN_DEMO_ROOT moves it.
data_root = '{{$A3LIGN_DEMO_ROOT:data/demo_faces}}'
image_size = 32

model = dict(cls_head=dict(num_classes=6), stage=3)

train_pipeline = [
    dict(type='UniformSample', clip_len=16, num_clips=1),
    dict(type='RawFrameDecode'),
    dict(type='RandomResizedCrop', area_range=(0.6, 1.0)),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='UniformSample', clip_len=16, num_clips=1, test_mode=True),
    dict(type='RawFrameDecode'),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='DemoFaceDataset',
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='DemoFaceDataset',
        data_root=data_root,
        split='val',
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(
    type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'))
test_evaluator = val_evaluator

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-2, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'cls_head.prompts': dict(lr_mult=0.1)}))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=30, by_epoch=True, eta_min=0)
]

default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(interval=5, save_best='acc/mean1', rule='greater'))
