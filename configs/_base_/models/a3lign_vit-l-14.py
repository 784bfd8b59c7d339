# A³lign-DFER with CLIP ViT-L/14, the paper's CLIP. Its weights: OpenAI's
# archive (ViT-L-14.pt, as `clip.load` saves it) or an open_clip .bin /
# .safetensors file or download folder (docs/clip_weights.md). Give the path
# with CLIP_CHECKPOINT=/path/to/ViT-L-14.pt or
# --cfg-options model.clip.checkpoint=/path/to/ViT-L-14.pt.
_base_ = ['a3lign.py']

model = dict(
    clip=dict(
        arch='ViT-L-14',
        checkpoint='{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-L-14.pt}}'))
