# VideoMAE ViT-B/16 (MAE-DFER's backbone), fine-tuned on MAFW
# (docs/benchmark.md). Where the data and the weights are:
#   MAFW_ROOT=/data/MAFW VIDEOMAE_CHECKPOINT=/weights/videomae.pth FOLD=2 \
#   python tools/train.py configs/videomae_mafw.py
_base_ = ['_base_/recipes/videomae.py', '_base_/datasets/mafw.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
