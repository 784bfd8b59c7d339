# A³lign-DFER without JAS (the paper's ablation): the temporal mean of the
# frame embeddings on the video side, the mean of each class's MAT sentences
# on the text side. With no dynamic encoder BAP has nothing to alternate: MAT
# trains alone for the full model's 100 epochs, under one cosine.
_base_ = ['vit-l-14.py']

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

model = dict(neck=dict(_delete_=True, type='TemporalMeanNeck'))
train_cfg, param_scheduler, custom_hooks = bap_schedule(
    [dict(epochs=100, stage=1)], _base_.custom_hooks)
