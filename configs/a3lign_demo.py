# The embedded demo: the full A³lign-DFER model with a tiny random-init CLIP
# on procedurally drawn faces (written to `data_root` on first use), where
# an expression forming and the same expression fading differ only in the
# order of their frames. Runs in minutes on a CPU:
#   python tools/train.py configs/a3lign_demo.py
_base_ = [
    '_base_/models/a3lign_clip-tiny.py', '_base_/datasets/dfer.py',
    '_base_/schedules/bap_sgd_100e.py', '_base_/default_runtime.py'
]

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

# Written on first use; the environment variable A3LIGN_DEMO_ROOT moves it.
data_root = '{{$A3LIGN_DEMO_ROOT:data/demo_faces}}'
image_size = 32

# Eight prompt tokens instead of 64: the text tower runs on 10 positions,
# which keeps the demo fast on a CPU.
model = dict(cls_head=dict(num_classes=6, num_tokens=8))

# The demo faces are frame folders at the tiny CLIP's size: no random
# resized crop. As in _base_/datasets/dfer.py, the test pipeline also runs
# MMAction2's inference API and demos on videos (docs/mmaction_routes.md),
# and tests TEST_CLIPS x TEST_CROPS views of a clip.
train_pipeline = [
    dict(type='SegmentSampleFrames', clip_len=16, num_clips=1),
    dict(type='RawFrameDecode'),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='VideoInit'),
    dict(
        type='SegmentSampleFrames',
        clip_len=16,
        num_clips={{_base_.test_clips}},
        test_mode=True),
    dict(type='VideoDecode'),
    dict(type='FaceCrop', detector=dict(model={{_base_.face_model}})),
    dict(type='ViewCrops', size=image_size, crops={{_base_.test_crops}}),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', meta_keys={{_base_.clip_meta_keys}})
]
dataset = dict(type='DemoFaceDataset', data_root=data_root)
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    dataset=dict(dataset, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    dataset=dict(dataset, split='val', pipeline=test_pipeline))
test_dataloader = val_dataloader

# AdamW instead of the paper's SGD: the tiny random-init CLIP's embeddings
# differ little between expressions, and SGD at the paper's learning rates
# stays at chance on them (docs/design.md). MAT keeps lr_mult 0.1.
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=1e-4))

# BAP in 10 + 10 + 30 epochs: stage 3 is where the order is learned.
train_cfg, param_scheduler, custom_hooks = bap_schedule([10, 10, 30])
train_cfg.update(val_interval=5)

default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(interval=5))

# A fixed seed, so a run prints the same numbers every time.
randomness = dict(seed=0)
