# VideoMAE ViT-B/16 (MAE-DFER's backbone), fine-tuned on FERV39k
# (docs/benchmark.md). Where the data and the weights are:
#   FERV39K_ROOT=/data/FERV39k VIDEOMAE_CHECKPOINT=/weights/videomae.pth \
#   python tools/train.py configs/videomae_ferv39k.py
_base_ = ['_base_/recipes/videomae.py', '_base_/datasets/ferv39k.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
