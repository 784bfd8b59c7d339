"""Fake DFER release trees in the official layouts, with tiny JPEGs."""
import os
import os.path as osp

import cv2
import numpy as np

DFER7 = ('happy', 'sad', 'neutral', 'angry', 'surprise', 'disgust', 'fear')
MAFW11 = ('happiness', 'sadness', 'neutral', 'anger', 'surprise', 'disgust',
          'fear', 'contempt', 'anxiety', 'helplessness', 'disappointment')


def write_frames(folder, count, name='{}.jpg'):
    """``count`` 8x8 JPEGs whose first pixel encodes the frame number."""
    os.makedirs(folder, exist_ok=True)
    for i in range(1, count + 1):
        image = np.full((8, 8, 3), 10 * i % 256, np.uint8)
        cv2.imwrite(osp.join(folder, name.format(i)), image)


def make_dfew(root, clips):
    """``clips``: ``{fold: {split: [(clip id, 0-based label, frames)]}}``."""
    for fold, splits in clips.items():
        for split, rows in splits.items():
            folder = osp.join(root, 'EmoLabel_DataSplit',
                              f'{split}(single-labeled)')
            os.makedirs(folder, exist_ok=True)
            with open(osp.join(folder, f'set_{fold}.csv'), 'w') as f:
                f.write('video_name,label\n')
                for clip_id, label, frames in rows:
                    f.write(f'{clip_id},{label + 1}\n')
                    write_frames(
                        osp.join(root, 'Clip', 'clip_224x224',
                                 f'{clip_id:05d}'), frames)
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


def make_mafw(root, clips):
    """``clips``: ``{fold: {split: [(clip id, label, frames)]}}``."""
    for fold, splits in clips.items():
        folder = osp.join(root, 'split', 'single', 'no_caption',
                          f'set_{fold}')
        os.makedirs(folder, exist_ok=True)
        for split, rows in splits.items():
            with open(osp.join(folder, f'{split}.txt'), 'w') as f:
                for clip_id, label, frames in rows:
                    f.write(f'{clip_id:05d}.mp4 {MAFW11[label]}\n')
                    write_frames(
                        osp.join(root, 'data', 'faces', f'{clip_id:05d}'),
                        frames, 'frame_{}.jpg')
    return root
