"""Face-cropping many videos into frame folders, in parallel and
resumably: the recipe ``tools/face_crop.py`` and the dataset preparation
tools (``tools/data/``) share."""
import multiprocessing
import os.path as osp
from typing import Dict, List, NamedTuple, Optional, Tuple

from ..utils import FolderLock, TaskProgress, remove_staging_folders
from .bad_video_error import BadVideoError
from .face_cropper import FaceCropper
from .face_detector import FaceDetector
from .no_face_error import NoFaceError

__all__ = ['CropResult', 'crop_videos']

_cropper: Optional[FaceCropper] = None


class CropResult(NamedTuple):
    """How one video went: ``report`` is the track's summary, or why it
    failed (not a video, an undecodable codec, no frames, no face, crops
    that could not be written); ``no_face`` tells no face apart."""

    name: str
    ok: bool
    report: str
    no_face: bool = False


def _init_worker(cropper_cfg: dict) -> None:
    global _cropper
    _cropper = FaceCropper(**cropper_cfg)


def _crop(task: Tuple[str, str, str, bool]) -> CropResult:
    name, video, out_dir, progress = task
    try:
        track = _cropper.crop_to_folder(video, out_dir, progress)
    except BadVideoError as e:
        return CropResult(name, False, str(e), isinstance(e, NoFaceError))
    except OSError as e:
        return CropResult(
            name, False, f'{video}: its crops could not be written to '
            f'{out_dir} ({e}); nothing of it was kept: free space (or fix '
            'the folder) and run again')
    return CropResult(name, True, track.summary())


def crop_videos(videos: Dict[str, str],
                out_dir: str,
                cropper_cfg: Optional[dict] = None,
                workers: int = 1) -> Tuple[List[str], List[CropResult]]:
    """Face-crop ``videos`` into ``out_dir/<name>/00001.jpg, ...``.

    A video whose folder exists is skipped: folders appear only when
    complete (:meth:`FaceCropper.crop_to_folder`), so a rerun continues an
    interrupted one, and removes the partial folders a killed run left.
    ``out_dir`` is locked while the videos are cropped (:class:`FolderLock`,
    ``out_dir/.lock``): a second run into it stops at once.

    Args:
        videos (dict[str, str]): Output folder name to video path.
        out_dir (str): Folder of the output folders.
        cropper_cfg (dict, optional): Arguments of :class:`FaceCropper`.
        workers (int): Videos cropped in parallel. Defaults to 1 (in this
            process, with a progress bar per video).

    Returns:
        tuple: The names cropped before (skipped), and the result of each
        video cropped now.

    Raises:
        FaceModelError: If the face model cannot run (before any video).
        FolderBusyError: If another process crops into ``out_dir``.
    """
    cropper_cfg = cropper_cfg or {}
    # A face model that cannot run fails here, not in every worker.
    FaceDetector(**cropper_cfg.get('detector') or {}).close()
    with FolderLock(out_dir, 'face-crop folder'):
        return _crop_videos(videos, out_dir, cropper_cfg, workers)


def _crop_videos(videos: Dict[str, str], out_dir: str, cropper_cfg: dict,
                 workers: int) -> Tuple[List[str], List[CropResult]]:
    skipped, tasks = [], []
    for name, video in videos.items():
        out = osp.join(out_dir, name)
        if osp.isdir(out):
            skipped.append(name)
        else:
            remove_staging_folders(out)
            tasks.append((name, video, out, workers <= 1))
    results = []
    if workers <= 1 or len(tasks) == 1:
        _init_worker(cropper_cfg)
        for task in tasks:
            print(f'{task[1]}:', flush=True)
            results.append(_crop(task))
    elif tasks:
        bar = TaskProgress(len(tasks))
        pool = multiprocessing.Pool(
            min(workers, len(tasks)), _init_worker, (cropper_cfg, ))
        with pool:
            for result in pool.imap_unordered(_crop, tasks):
                results.append(result)
                bar.update()
        bar.close()
    return skipped, sorted(results)
