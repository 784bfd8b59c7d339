# The paper's recipe: A³lign-DFER with CLIP ViT-L/14, 16 frames of 224 px,
# batch 64, BAP 40 / 30 / 30 epochs with SGD, the best checkpoint by UAR. A
# config adds the dataset (_base_/datasets/).
# The CLIP's weights: OpenAI's archive (ViT-L-14.pt, as `clip.load` saves
# it) or an open_clip .bin / .safetensors file or download folder
# (docs/clip_weights.md). Give the path with
# CLIP_CHECKPOINT=/path/to/ViT-L-14.pt or
# --cfg-options model.clip.checkpoint=/path/to/ViT-L-14.pt.
_base_ = ['a3lign.py']

model = dict(
    clip=dict(
        arch='ViT-L-14',
        checkpoint='{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-L-14.pt}}'))
