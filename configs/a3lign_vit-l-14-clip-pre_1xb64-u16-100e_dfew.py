# A³lign-DFER on DFEW, CLIP ViT-L-14 (pre-trained, frozen): 16 frames of
# 224 px, batch 64 on one GPU, BAP 40 / 30 / 30 epochs, SGD, the best
# checkpoint by UAR.
_base_ = [
    '_base_/models/a3lign_vit-l-14.py', '_base_/datasets/dfew.py',
    '_base_/schedules/bap_sgd_100e.py', '_base_/default_runtime.py'
]

# Your CLIP ViT-L-14 weights: OpenAI's ViT-L-14.pt or an open_clip checkpoint.
clip_checkpoint = '{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-L-14.pt}}'

model = dict(
    clip=dict(checkpoint=clip_checkpoint),
    cls_head=dict(num_classes={{_base_.num_classes}}))
