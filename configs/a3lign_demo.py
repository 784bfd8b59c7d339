# The embedded demo: the full A³lign-DFER model with a tiny random-init CLIP
# on procedurally drawn faces (written to `data_root` on first use), where
# an expression forming and the same expression fading differ only in the
# order of their frames. Runs in minutes on a CPU:
#   python tools/train.py configs/a3lign_demo.py
_base_ = ['_base_/recipes/a3lign.py']

from a3lign_mmaction.datasets import dfer_pipelines  # noqa: E402
from a3lign_mmaction.engine import bap_schedule  # noqa: E402

# Written on first use; the environment variable A3LIGN_DEMO_ROOT moves it.
data_root = '{{$A3LIGN_DEMO_ROOT:data/demo_faces}}'
image_size = 32

# The tiny CLIP: the layout of OpenAI's ViT CLIPs (QuickGELU, 77-token
# context, the real 49,408-token vocabulary, so open_clip's tokenizer works)
# at 32x32 pixels and width 128. Eight prompt tokens instead of 64: the text
# tower runs on 10 positions, which keeps the demo fast on a CPU.
model = dict(
    clip=dict(
        image_size=image_size,
        arch=dict(
            embed_dim=64,
            quick_gelu=True,
            vision_cfg=dict(
                image_size=32, layers=2, width=128, patch_size=8),
            text_cfg=dict(
                context_length=77,
                vocab_size=49408,
                width=128,
                heads=2,
                layers=2))),
    cls_head=dict(num_classes=6, num_tokens=8))

# The demo faces are frame folders at the tiny CLIP's size: MMAction2's
# RawFrameDecode, no random resized crop.
train_pipeline, test_pipeline = dfer_pipelines(
    image_size,
    _base_.clip_len,
    _base_.test_clips,
    _base_.test_crops,
    _base_.face_model,
    decode='RawFrameDecode',
    crop_area=None)
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
train_cfg, param_scheduler, custom_hooks = bap_schedule([10, 10, 30],
                                                        _base_.custom_hooks)
train_cfg.update(val_interval=5)

default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(interval=5))

# A fixed seed, so a run prints the same numbers every time.
randomness = dict(seed=0)
