# A³lign-DFER with CLIP ViT-B-32: the ViT-L/14 model with another CLIP.
_base_ = ['a3lign_vit-l-14.py']

# Path to your CLIP ViT-B-32 weights: OpenAI's released archive
# (ViT-B-32.pt, written by `clip.load` to ~/.cache/clip) or an open_clip
# .bin / .safetensors checkpoint. None builds a random-init CLIP. From the
# command line: --cfg-options model.clip.checkpoint=/path/to/ViT-B-32.pt
clip_checkpoint = None

model = dict(clip=dict(arch='ViT-B-32', checkpoint=clip_checkpoint))
