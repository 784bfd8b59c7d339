# A³lign-DFER on MAFW, CLIP ViT-B-16 (pre-trained, frozen): the ViT-L/14
# recipe with the smaller CLIP.
_base_ = ['a3lign_vit-l-14-clip-pre_1xb64-u16-100e_mafw.py']

# Your CLIP ViT-B-16 weights: OpenAI's ViT-B-16.pt or an open_clip checkpoint.
clip_checkpoint = '{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-B-16.pt}}'

model = dict(clip=dict(arch='ViT-B-16', checkpoint=clip_checkpoint))
