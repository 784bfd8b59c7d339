# The paper's recipe with the smaller CLIP ViT-B/16.
_base_ = [
    '../models/a3lign_vit-b-16.py', '../datasets/dfer.py',
    '../schedules/bap_sgd_100e.py', '../default_runtime.py'
]
