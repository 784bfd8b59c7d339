"""Broken video files, written by the tests."""
import os.path as osp

import cv2
import numpy as np

from tests.repository import VIDEOS


def _avi(path, frames):
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 25,
                             (64, 64))
    for i in range(frames):
        writer.write(np.full((64, 64, 3), 20 * i, np.uint8))
    writer.release()
    return path


def cut_front_indexed(folder, name='single_face'):
    """A real video remuxed with its index at the front (``faststart``),
    cut to half its bytes: the header still lists every frame, a third
    of them decode. Returns its path."""
    import av
    path = osp.join(folder, f'{name}_cut.mp4')
    whole = osp.join(folder, f'{name}_faststart.mp4')
    with av.open(osp.join(VIDEOS, f'{name}.mp4')) as source, av.open(
            whole, 'w', options=dict(movflags='faststart')) as target:
        stream = target.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is not None:
                packet.stream = stream
                target.mux(packet)
    with open(whole, 'rb') as f:
        data = f.read()
    with open(path, 'wb') as f:
        f.write(data[:len(data) // 2])
    return path


def make_bad_videos(folder):
    """Name -> (path, what the message says right after the path)."""
    text = osp.join(folder, 'notes.mp4')
    with open(text, 'w') as f:
        f.write('not a video\n')
    with open(osp.join(VIDEOS, 'single_face.mp4'), 'rb') as f:
        data = f.read()
    truncated = osp.join(folder, 'truncated.mp4')
    with open(truncated, 'wb') as f:
        f.write(data[:len(data) // 3])
    with open(_avi(osp.join(folder, 'ok.avi'), 5), 'rb') as f:
        data = f.read()
    codec = osp.join(folder, 'codec.avi')
    with open(codec, 'wb') as f:  # a FourCC no decoder knows
        f.write(data.replace(b'MJPG', b'QQQQ'))
    no_stream = osp.join(folder, 'no_stream.mp4')
    writer = cv2.VideoWriter(no_stream, cv2.VideoWriter_fourcc(*'mp4v'), 25,
                             (64, 64))
    writer.release()
    return dict(
        text=(text, ' is not a video FFmpeg can read'),
        truncated=(truncated, ' is not a video FFmpeg can read'),
        codec=(codec, ': its video codec cannot be decoded'),
        zero_length=(_avi(osp.join(folder, 'zero.avi'), 0),
                     ' has no frames (zero-length video)'),
        no_stream=(no_stream, ' has no video stream'),
        missing=(osp.join(folder, 'missing.mp4'), ': no such file'))
