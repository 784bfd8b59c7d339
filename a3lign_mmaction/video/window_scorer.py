from typing import Dict, List, Mapping, Optional, Sequence, Union

import numpy as np
import torch
from mmaction.structures import ActionDataSample
from mmengine.dataset import pseudo_collate

from ..models.backbones import CLIPVisionBackbone
from .window_inference import (frame_sampler, predict_windows, window_data,
                               window_pipeline)

__all__ = ['WindowScorer']

Frames = Union[Sequence[np.ndarray], Mapping[int, np.ndarray]]


class WindowScorer:
    """Class scores of windows of one face's crops, each frame through the
    image tower once.

    Windows that overlap share frames. A recognizer whose backbone embeds
    frames one by one (:class:`CLIPVisionBackbone`) embeds each frame the
    first time a window needs it and keeps the embedding; a window is then
    scored from stored embeddings, by the neck and the head alone (the
    backbone passes ``(N, T, D)`` embeddings on, as for the feature
    cache). Windows of 16 frames scored every 4 frames cost a quarter of
    the image tower passes of scoring each window on its own
    (:func:`predict_windows`), with the same scores. Other backbones (X3D,
    VideoMAE) see whole windows, so each window goes through
    :func:`predict_windows`.

    The scorer keeps the embeddings of one face: make one per face track.

    Args:
        model (nn.Module): A recognizer from ``init_recognizer``, in eval
            mode.
        test_pipeline (list[dict]): The config's ``test_pipeline``: its
            sampler picks a window's frames, its other steps (resize,
            format) prepare them.
        batch_size (int): Frames per image tower pass, and windows per
            neck and head pass. Defaults to 32.
        per_window (bool): Score every window on its own through
            :func:`predict_windows`, its frames through the image tower
            each time (the reference path, slower). Defaults to False.
    """

    def __init__(self,
                 model: torch.nn.Module,
                 test_pipeline: List[dict],
                 batch_size: int = 32,
                 per_window: bool = False) -> None:
        self.model = model
        self.sampler = frame_sampler(test_pipeline)
        self.pipeline = window_pipeline(test_pipeline)
        self.batch_size = batch_size
        self.per_frame = not per_window and isinstance(model.backbone,
                                                       CLIPVisionBackbone)
        #: Frames through the image tower so far.
        self.embedded = 0
        # Frame index to its embeddings, or (per window) to the frame.
        self._stored: Dict[int, Union[torch.Tensor, np.ndarray]] = {}

    @property
    def num_clips(self) -> int:
        """Clips the sampler takes from a window (their scores are
        averaged)."""
        return self.sampler.num_clips

    @property
    def num_classes(self) -> int:
        """Classes the model scores."""
        return self.model.cls_head.num_classes

    def add(self, frames: Mapping[int, np.ndarray]) -> None:
        """Take frames that windows will need: each is embedded now (or,
        for the per-window path, kept) unless it is stored already.

        Args:
            frames (mapping[int, np.ndarray]): ``(H, W, 3)`` uint8 RGB face
                crops by frame index (a list is a mapping from 0). Index
                ``i`` is the same frame in every call.
        """
        if isinstance(frames, Sequence):
            frames = dict(enumerate(frames))
        missing = sorted(set(frames) - set(self._stored))
        if not self.per_frame:
            self._stored.update((i, frames[i]) for i in missing)
            return
        for start in range(0, len(missing), self.batch_size):
            self._embed(
                {i: frames[i]
                 for i in missing[start:start + self.batch_size]})

    def __call__(self,
                 indices: np.ndarray,
                 frames: Optional[Frames] = None) -> np.ndarray:
        """Class scores of windows.

        Args:
            indices (np.ndarray): ``(windows, num_clips * clip_len)``
                frame indices, as from :func:`window_indices`.
            frames (sequence | mapping, optional): Frames to
                :meth:`add` first; those of ``indices`` that were not added
                before at least.

        Returns:
            np.ndarray: ``(windows, classes)`` scores (``pred_score``).

        Raises:
            KeyError: If a frame of ``indices`` was never added.
        """
        if indices.ndim != 2:
            raise ValueError('indices must be (windows, frames), got shape '
                             f'{indices.shape}')
        if frames is not None:
            self.add({i: frames[i] for i in set(indices.ravel().tolist())})
        if not self.per_frame:
            self.embedded += indices.size
            return predict_windows(self.model, self._stored, indices,
                                   self.pipeline, True, self.num_clips)
        return np.concatenate([
            self._score(indices[start:start + self.batch_size])
            for start in range(0, len(indices), self.batch_size)
        ])

    def forget(self, before: int) -> None:
        """Drop what is stored of frames before index ``before``, which no
        later window needs (a live stream)."""
        for index in [i for i in self._stored if i < before]:
            del self._stored[index]

    def _embed(self, frames: Dict[int, np.ndarray]) -> None:
        """Embed frames through the image tower, in one pass."""
        data = self.pipeline(
            window_data(list(frames.values()), face_cropped=True))
        with torch.no_grad():
            inputs = self.model.data_preprocessor(
                pseudo_collate([data]), False)['inputs']
            # (views, frames, D): a view per test crop of the frames.
            embeddings, _ = self.model.extract_feat(inputs, stage='backbone')
        for column, index in enumerate(frames):
            self._stored[index] = embeddings[:, column]
        self.embedded += len(frames)

    def _score(self, indices: np.ndarray) -> np.ndarray:
        """Scores of windows from stored embeddings, as the recognizer
        scores a batch of clips of ``num_clips`` clips and as many views
        as the test crops."""
        windows = indices.reshape(len(indices), self.num_clips, -1)
        # (windows, clips * views, T, D): a window's clips and test crops.
        inputs = torch.stack([
            torch.cat([
                torch.stack([self._stored[i] for i in clip], 1)
                for clip in window
            ]) for window in windows.tolist()
        ])
        samples = [ActionDataSample() for _ in indices]
        with torch.no_grad():
            predicted = self.model(inputs, samples, mode='predict')
        return np.stack(
            [p.pred_score.float().cpu().numpy() for p in predicted])
