# A³lign-DFER on MAFW, the paper's recipe: CLIP ViT-L/14, 16 frames of 224 px,
# BAP 40 / 30 / 30 epochs, SGD, batch 64, the best checkpoint by UAR.
#
# Set these for your machine, here or from the command line, e.g.
#   MAFW_ROOT=/data/MAFW CLIP_CHECKPOINT=/weights/ViT-L-14.pt \
#   FOLD=2 python tools/train.py configs/a3lign_mafw.py
# (--cfg-options works too: train_dataloader.dataset.fold=2, and the same
# for val_dataloader and test_dataloader; all paths follow the fold.)
data_root = '{{$MAFW_ROOT:data/MAFW}}'
fold = int('{{$FOLD:1}}')
clip_checkpoint = '{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-L-14.pt}}'

_base_ = ['a3lign_vit-l-14-clip-pre_1xb64-u16-100e_mafw.py']

dataset = dict(data_root=data_root, fold=fold)
train_dataloader = dict(dataset=dataset)
val_dataloader = dict(dataset=dataset)
test_dataloader = dict(dataset=dataset)
model = dict(clip=dict(checkpoint=clip_checkpoint))
