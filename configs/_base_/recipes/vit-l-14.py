# The paper's recipe for any of the DFER datasets: CLIP ViT-L/14, 16 frames
# of 224 px, batch 64, BAP 40 / 30 / 30 epochs with SGD, the best checkpoint
# by UAR. A config adds the dataset (_base_/datasets/).
_base_ = [
    '../models/a3lign_vit-l-14.py', '../datasets/dfer.py',
    '../schedules/bap_sgd_100e.py', '../default_runtime.py'
]
