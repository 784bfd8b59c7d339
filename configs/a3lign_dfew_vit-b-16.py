# configs/a3lign_dfew.py with CLIP ViT-B/16 (weights: CLIP_CHECKPOINT).
_base_ = ['_base_/recipes/vit-b-16.py', '_base_/datasets/dfew.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
