# A³lign-DFER on FERV39k, the paper's recipe: CLIP ViT-L/14, 16 frames of
# 224 px, BAP 40 / 30 / 30 epochs, SGD, batch 64, the best checkpoint by UAR.
#
# Set these for your machine, here or from the command line, e.g.
#   FERV39K_ROOT=/data/FERV39k CLIP_CHECKPOINT=/weights/ViT-L-14.pt \
#   python tools/train.py configs/a3lign_ferv39k.py
data_root = '{{$FERV39K_ROOT:data/FERV39k}}'
clip_checkpoint = '{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-L-14.pt}}'

_base_ = ['a3lign_vit-l-14-clip-pre_1xb64-u16-100e_ferv39k.py']

dataset = dict(data_root=data_root)
train_dataloader = dict(dataset=dataset)
val_dataloader = dict(dataset=dataset)
test_dataloader = dict(dataset=dataset)
model = dict(clip=dict(checkpoint=clip_checkpoint))
