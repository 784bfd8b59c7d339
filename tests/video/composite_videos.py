"""Videos of several faces, or of a face that leaves and comes back, cut
from the real test videos and written by the tests."""
import os.path as osp

import cv2
import numpy as np

from tests.repository import VIDEOS

#: Frames of ``face_noface.mov`` that show its face (the rest show none).
FACE_NOFACE_FACE = 72


def read_frames(name, size=(640, 360)):
    """The BGR frames of a test video, resized to ``size``."""
    capture = cv2.VideoCapture(osp.join(VIDEOS, name))
    frames = []
    ok, frame = capture.read()
    while ok:
        frames.append(cv2.resize(frame, size))
        ok, frame = capture.read()
    return frames


def _write(path, frames, fps=25):
    """Frames as an H.264 video, which browsers play (the web demo's)."""
    import av
    with av.open(path, 'w') as container:
        stream = container.add_stream('libx264', rate=fps)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = 'yuv420p'
        for frame in frames:
            container.mux(
                stream.encode(av.VideoFrame.from_ndarray(frame,
                                                         format='bgr24')))
        container.mux(stream.encode())
    return path


def two_faces(folder):
    """72 frames at 25 fps, 1280x360: the actress of
    ``WolfgangLanger_Pexels.mp4`` on the left, the man of
    ``single_face.mp4`` on the right. Returns its path."""
    left = read_frames('WolfgangLanger_Pexels.mp4')[:72]
    right = read_frames('single_face.mp4')
    return _write(
        osp.join(folder, 'two_faces.mp4'),
        [np.concatenate(pair, 1) for pair in zip(left, right)])


def face_comes_back(folder):
    """``face_noface.mov`` (a face for 72 frames, then 97 without), then
    its first 72 frames again: 241 frames, the same face back at frame
    169. Returns its path."""
    frames = read_frames('face_noface.mov')
    return _write(
        osp.join(folder, 'face_comes_back.mp4'),
        frames + frames[:FACE_NOFACE_FACE])


def another_face_comes(folder):
    """40 frames of the actress, 40 of no face, 40 of the man of
    ``single_face.mp4``. Returns its path."""
    empty = read_frames('face_noface.mov')[100:140]
    return _write(
        osp.join(folder, 'another_face_comes.mp4'),
        read_frames('WolfgangLanger_Pexels.mp4')[:40] + empty +
        read_frames('single_face.mp4')[:40])
