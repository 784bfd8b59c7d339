# A³lign-DFER without BAP (the paper's ablation): one joint stage, MAT and
# both dynamic encoders trainable from the first epoch, 100 epochs under one
# cosine.
_base_ = ['vit-l-14.py']

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

train_cfg, param_scheduler, custom_hooks = bap_schedule(
    [dict(epochs=100, stage=3)], _base_.custom_hooks)
