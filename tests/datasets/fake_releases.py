"""Fake DFER release trees in the official layouts, with tiny JPEGs."""
import os
import os.path as osp

import cv2
import numpy as np

from a3lign_mmaction.datasets import DFER_CLIP_LISTS, read_clip_list

DFER7 = ('happy', 'sad', 'neutral', 'angry', 'surprise', 'disgust', 'fear')
MAFW11 = ('happiness', 'sadness', 'neutral', 'anger', 'surprise', 'disgust',
          'fear', 'contempt', 'anxiety', 'helplessness', 'disappointment')


def write_frames(folder, count, name='{}.jpg'):
    """``count`` 8x8 JPEGs whose first pixel encodes the frame number."""
    os.makedirs(folder, exist_ok=True)
    for i in range(1, count + 1):
        image = np.full((8, 8, 3), 10 * i % 256, np.uint8)
        cv2.imwrite(osp.join(folder, name.format(i)), image)


def make_dfew(root, clips, layout='EmoLabel_DataSplit', frames=None,
              frame_maker=write_frames):
    """``clips``: ``{fold: {split: [(clip id, 0-based label, frames)]}}``,
    in one of DFEW's release layouts, frames in ``frames`` (default: the
    layout's own) written by ``frame_maker(folder, count, name)``.

    ``'EmoLabel_DataSplit'``: the release's split files and ``Clip/``.
    ``'data_affine'``: the tree the authors' README (jiangxingxun/DFEW)
    draws, ``data_affine/single_label/`` holding ``data/<id>/<id>_<n>.jpg``
    (both numbers with five digits) and ``label/single_{split}set_{fold}
    .csv`` side by side.
    """
    affine = osp.join(root, 'data_affine', 'single_label')
    for fold, splits in clips.items():
        for split, rows in splits.items():
            if layout == 'EmoLabel_DataSplit':
                path = osp.join(root, 'EmoLabel_DataSplit',
                                f'{split}(single-labeled)', f'set_{fold}.csv')
            else:
                path = osp.join(affine, 'label',
                                f'single_{split}set_{fold}.csv')
            os.makedirs(osp.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write('video_name,label\n')
                for clip_id, label, count in rows:
                    f.write(f'{clip_id},{label + 1}\n')
                    if layout == 'EmoLabel_DataSplit':
                        folder = osp.join(root, frames or 'Clip/clip_224x224',
                                          f'{clip_id:05d}')
                        name = '{}.jpg'
                    else:
                        folder = (osp.join(root, frames, f'{clip_id:05d}')
                                  if frames else osp.join(
                                      affine, 'data', f'{clip_id:05d}'))
                        name = f'{clip_id:05d}_{{:05d}}.jpg'
                    frame_maker(folder, count, name)
    return root


def make_ferv39k(root, clips):
    """``clips``: ``{split: [(scene, label, clip, frames)]}``."""
    setups = osp.join(root, '4_setups', 'All_scenes')
    os.makedirs(setups, exist_ok=True)
    for split, rows in clips.items():
        with open(osp.join(setups, f'{split}_All.csv'), 'w') as f:
            for scene, label, clip, frames in rows:
                name = DFER7[label].capitalize()
                relative = f'{scene}/{name}/{clip:04d}'
                f.write(f'{relative} {name}\n')
                write_frames(
                    osp.join(root, '2_ClipsforFaceCrop', relative), frames,
                    '{:04d}.jpg')
    return root


def make_mafw(root, clips, frames='data/faces', frame_maker=write_frames):
    """``clips``: ``{fold: {split: [(clip id, label, frames)]}}``, frames
    in ``frames`` written by ``frame_maker(folder, count, name)``."""
    for fold, splits in clips.items():
        folder = osp.join(root, 'split', 'single', 'no_caption',
                          f'set_{fold}')
        os.makedirs(folder, exist_ok=True)
        for split, rows in splits.items():
            with open(osp.join(folder, f'{split}.txt'), 'w') as f:
                for clip_id, label, count in rows:
                    f.write(f'{clip_id:05d}.mp4 {MAFW11[label]}\n')
                    frame_maker(
                        osp.join(root, frames, f'{clip_id:05d}'), count,
                        'frame_{}.jpg')
    return root


def one_frame_file(folder, count, name):
    """A clip folder with one one-byte frame file, whatever ``count``: for
    trees of whole releases, which are listed but never decoded."""
    os.makedirs(folder, exist_ok=True)
    with open(osp.join(folder, name.format(1)), 'wb') as f:
        f.write(b'\xff')


def published_list(dataset, split, fold=None):
    """``(clip folder, frames, 0-based label)`` of each line of DFER-CLIP's
    list of a split of ``dataset`` (a :class:`DFERDataset` class), the
    folder relative to the one all listed clips share."""
    path = osp.join(DFER_CLIP_LISTS,
                    dataset.DFER_CLIP_LIST.format(split=split, fold=fold))
    return [(folder, count, label)
            for folder, count, label, _ in read_clip_list(path)]


def release_from_lists(make, root, dataset, **kwargs):
    """A release tree of every clip of DFER-CLIP's lists of a dataset with
    five folds (``dataset``: :class:`DFEWDataset` or :class:`MAFWDataset`),
    one empty frame per clip, made by ``make`` (:func:`make_dfew`,
    :func:`make_mafw`).

    Returns:
        tuple: The root and ``{fold: {split: [(clip id, label, frames)]}}``.
    """
    folds = {
        fold: {
            split: [(int(osp.basename(folder)), label, count)
                    for folder, count, label in published_list(
                        dataset, split, fold)]
            for split in ('train', 'test')
        }
        for fold in range(1, 6)
    }
    return make(root, folds, frame_maker=one_frame_file, **kwargs), folds
