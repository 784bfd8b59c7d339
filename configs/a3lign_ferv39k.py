# A³lign-DFER on FERV39k, the paper's recipe: CLIP ViT-L/14, 16 frames of
# 224 px, batch 64, BAP 40 / 30 / 30 epochs with SGD, the best checkpoint by
# UAR. Where the data and the weights are:
#   FERV39K_ROOT=/data/FERV39k CLIP_CHECKPOINT=/weights/ViT-L-14.pt \
#   python tools/train.py configs/a3lign_ferv39k.py
_base_ = ['_base_/recipes/vit-l-14.py', '_base_/datasets/ferv39k.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
