# DFER-CLIP (Zhao and Patras, BMVC 2023), as released in
# github.com/zengqunzhao/DFER-CLIP (train_*.sh, main.py), on this plugin's
# pipelines, sampler and metric: CLIP ViT-B/32 with its image tower
# fine-tuned, DFER-CLIP's temporal transformer and prompts
# (_base_/parts/dfer-clip.py), SGD with momentum 0.9 and weight decay 1e-4,
# 50 epochs, batch 48, the last smaller batch dropped.
# The descriptions are this plugin's own (class_text_files/
# dfer7_descriptions.txt); the authors' are a file away:
#   --cfg-options model.cls_head.class_texts=/path/to/descriptions.txt
# The weights: CLIP_CHECKPOINT=/path/to/ViT-B-32.pt.
_base_ = ['a3lign.py', '../parts/dfer-clip.py']

model = dict(
    clip=dict(
        arch='ViT-B-32',
        checkpoint='{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-B-32.pt}}'),
    backbone=dict(trainable_blocks=-1),
    neck=_base_.dfer_clip_neck,
    cls_head=dict(_base_.dfer_clip_head, _delete_=True))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
train_dataloader = dict(batch_size=48, batch_sampler=dict(drop_last=True))
optim_wrapper = dict(paramwise_cfg=_base_.dfer_clip_paramwise_cfg)
train_cfg = dict(max_epochs=_base_.dfer_clip_epochs)
param_scheduler = _base_.dfer_clip_param_scheduler
