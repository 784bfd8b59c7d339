# The paper's recipe with the smaller CLIP ViT-B/16. Its weights: OpenAI's
# ViT-B-16.pt or an open_clip file or folder (docs/clip_weights.md), from
# CLIP_CHECKPOINT or --cfg-options model.clip.checkpoint=/path/to/ViT-B-16.pt.
_base_ = ['a3lign.py']

model = dict(
    clip=dict(
        arch='ViT-B-16',
        checkpoint='{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-B-16.pt}}'))
