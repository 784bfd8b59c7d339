# BAP, the training paradigm of A³lign-DFER: 40 epochs of stage 1 (MAT and
# the text dynamic encoder, against the temporal mean of the frames), 30 of
# stage 2 (the video dynamic encoder, against the fixed text side), 30 of
# stage 3 (both). The list of stage lengths sets max_epochs, the cosine
# learning rate that restarts with every stage, and the BAPHook.
_base_ = ['sgd.py']

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

train_cfg, param_scheduler, custom_hooks = bap_schedule([40, 30, 30])
