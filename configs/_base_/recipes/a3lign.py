# A³lign-DFER for any CLIP (vit-l-14.py and vit-b-16.py name one): the
# model, the DFER pipelines, SGD and the runtime, joined here, where all four
# are in view.
# - The CLIP's frame size and the neck's and head's T (frames per clip,
#   sentences per class) are the pipelines' image_size and clip_len.
# - BAP, the training paradigm: 40 epochs of stage 1 (MAT and the text
#   dynamic encoder, against the temporal mean of the frames), 30 of stage 2
#   (the video dynamic encoder, against the fixed text side), 30 of stage 3
#   (both). The list of stage lengths sets max_epochs, the cosine learning
#   rate that restarts with every stage, and the BAPHook, which bap_schedule
#   adds to the runtime's hooks.
_base_ = [
    '../models/a3lign.py', '../datasets/dfer.py', '../schedules/sgd.py',
    '../default_runtime.py'
]

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

model = dict(
    clip=dict(image_size=_base_.image_size),
    neck=dict(num_frames=_base_.clip_len, num_sentences=_base_.clip_len),
    cls_head=dict(num_sentences=_base_.clip_len))
train_cfg, param_scheduler, custom_hooks = bap_schedule([40, 30, 30],
                                                        _base_.custom_hooks)
