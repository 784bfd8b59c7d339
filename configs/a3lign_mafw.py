# A³lign-DFER on MAFW, the paper's recipe: CLIP ViT-L/14, 16 frames of
# 224 px, batch 64, BAP 40 / 30 / 30 epochs with SGD, the best checkpoint by
# UAR. Where the data and the weights are:
#   MAFW_ROOT=/data/MAFW CLIP_CHECKPOINT=/weights/ViT-L-14.pt FOLD=2 \
#   python tools/train.py configs/a3lign_mafw.py
_base_ = ['_base_/recipes/vit-l-14.py', '_base_/datasets/mafw.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
