# VideoMAE ViT-B/16 (the backbone family of MAE-DFER): MMAction2's own
# VisionTransformer and TimeSformerHead, fine-tuned on this plugin's DFER
# pipelines, sampler and metric with MAE-DFER's schedule
# (_base_/parts/videomae.py). Not carried over: mixup and label smoothing.
# The pretrained weights are a checkpoint in MMAction2's format (keys
# backbone.*), e.g. MMAction2's VideoMAE ViT-B Kinetics-400 file:
#   VIDEOMAE_CHECKPOINT=/path/to/vit-base-p16_videomae-k400-pre.pth
_base_ = [
    '../datasets/dfer.py', '../schedules/sgd.py', '../parts/videomae.py',
    '../default_runtime.py'
]

model = dict(
    _base_.videomae_model,
    backbone=dict(
        _base_.videomae_backbone,
        img_size=_base_.image_size,
        num_frames=_base_.clip_len,
        init_cfg=dict(
            type='Pretrained',
            prefix='backbone.',
            checkpoint='{{$VIDEOMAE_CHECKPOINT:'
            'checkpoints/videomae/vit-base-p16_videomae-k400-pre.pth}}')))
optim_wrapper = dict(_base_.videomae_optim_wrapper, _delete_=True)
train_cfg = dict(max_epochs=_base_.videomae_epochs)
param_scheduler = _base_.videomae_param_scheduler
