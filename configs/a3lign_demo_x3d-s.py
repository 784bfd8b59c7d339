# Mixing toolboxes (a): MMAction2's X3D-S video backbone (trained from
# scratch) + the JAS neck + the MAT head with the tiny CLIP's text tower,
# trained with BAP on the demo faces. CLIPRecognizer hands the CLIP text
# tower to MAT and the JAS text encoder to the head; the JAS neck pools
# X3D's feature maps over space and projects their 432 channels to the
# CLIP embedding size. X3D trains in the video stages (2, 3).
_base_ = ['a3lign_demo.py']

model = dict(
    backbone=dict(
        _delete_=True,
        type='X3D',
        gamma_w=1,
        gamma_b=2.25,
        gamma_d=2.2,
        spatial_strides=(2, 2, 2, 2)),
    neck=dict(in_channels=432),
    data_preprocessor=dict(
        mean=[114.75, 114.75, 114.75], std=[57.38, 57.38, 57.38]))
