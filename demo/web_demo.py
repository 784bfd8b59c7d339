"""Expressions of every face in a video, on a web page.

Usage::

    python demo/web_demo.py CONFIG [CHECKPOINT] [--host 127.0.0.1]
        [--port 7860] [--share] [--window-seconds S] [--stride-seconds 0.5]
        [--device cpu] [--cfg-options model.clip.checkpoint=openai ...]

CHECKPOINT is a trained checkpoint, or ``none`` (the default) for a recipe
that needs no training (``configs/zeroshot-clip_*.py``). The page takes a
video, dropped on it or recorded with the webcam, and gives back what
``demo/demo_video.py`` writes: the video with each face's box, id and top
class, the timeline of each face, and a table of each face's windows
(with ``predictions.csv`` to download); a bar shows the progress of
finding, cropping and scoring the faces. The model is loaded once, when
the page starts. Needs the ``web`` and ``faces`` extras:
``pip install -e '.[web,faces]'``.
"""
import argparse
import os.path as osp
import tempfile
from typing import Callable, Tuple

from mmaction.apis import init_recognizer
from mmengine.config import Config, DictAction

from a3lign_mmaction.datasets import class_names
from a3lign_mmaction.engine import NO_CHECKPOINT
from a3lign_mmaction.utils import load_config
from a3lign_mmaction.video import (BadVideoError, FaceCropper, FaceTimeline,
                                   face_detector_settings, timeline_rows,
                                   window_seconds, write_timeline_files)

#: The columns of the page's table.
COLUMNS = ['face', 'start (s)', 'end (s)', 'face coverage', 'top class',
           'probability']


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        default=NO_CHECKPOINT,
        help=f'a trained checkpoint, or {NO_CHECKPOINT} (the default) for a '
        'recipe that needs no training (configs/zeroshot-clip_*.py)')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=7860)
    parser.add_argument(
        '--share', action='store_true',
        help="also serve the page through a Gradio share link")
    parser.add_argument(
        '--window-seconds', type=float,
        help="a window's length (default: a typical training clip of the "
        "config's dataset)")
    parser.add_argument(
        '--stride-seconds', type=float, default=0.5,
        help='time between window starts')
    parser.add_argument(
        '--min-face-coverage', type=float, default=0.5,
        help="least share of a window's frames with a detected face")
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def table(timelines: list, classes: tuple) -> list:
    """A row per face and window: when, how much face, the top class and
    its probability (blank where the window was not scored)."""
    return [[
        row['face'],
        round(float(row['start_s']), 2),
        round(float(row['end_s']), 2),
        round(row['face_coverage'], 2), row['top_class'],
        round(row['scores'][row['top_class']], 3) if row['scores'] else None
    ] for timeline in timelines for row in timeline_rows(timeline, classes)]


def analyser(cfg: Config, model, settings: argparse.Namespace) -> Callable:
    """The page's function: a video's path in; the annotated video, the
    timeline plot, the table and ``predictions.csv`` out."""
    import gradio as gr
    classes = class_names(cfg, model.cls_head.num_classes)
    seconds = settings.window_seconds or window_seconds(cfg)
    cropper = FaceCropper(
        detector=face_detector_settings(cfg.test_pipeline))

    def analyse(video: str,
                progress=gr.Progress()) -> Tuple[str, str, list, str]:
        if not video:
            raise gr.Error('Drop a video on the page, or record one with '
                           'the webcam, first.')
        try:
            timelines = FaceTimeline.from_video(
                video,
                dict(model=model, test_pipeline=cfg.test_pipeline),
                cropper,
                window_seconds=seconds,
                stride_seconds=settings.stride_seconds,
                min_face_coverage=settings.min_face_coverage,
                progress=lambda task, done, total: progress(
                    (done, total), desc=task))
        except BadVideoError as e:
            raise gr.Error(str(e))
        info = dict(
            video=osp.basename(video),
            config=settings.config,
            checkpoint=settings.checkpoint,
            window_seconds=seconds,
            stride_seconds=settings.stride_seconds)
        progress(None, desc='drawing')
        files = write_timeline_files(
            tempfile.mkdtemp(prefix='a3lign_web_'), timelines, classes,
            info, video)
        return (files['annotated.mp4'], files['timeline.png'],
                table(timelines, classes), files['predictions.csv'])

    return analyse


def build_page(cfg: Config, model, settings: argparse.Namespace):
    """The Gradio page of a loaded model.

    Args:
        cfg (Config): The model's config.
        model (nn.Module): From ``init_recognizer``.
        settings (argparse.Namespace): ``config``, ``checkpoint``,
            ``window_seconds``, ``stride_seconds`` and
            ``min_face_coverage``, as :func:`parse_args` gives them.

    Returns:
        gradio.Blocks: The page; its function's API name is ``analyse``.
    """
    import gradio as gr
    with gr.Blocks(title='a3lign-mmaction: expressions over time') as page:
        gr.Markdown(
            '## Expressions over time, for every face\n'
            f'`{osp.basename(settings.config)}`, checkpoint '
            f'`{osp.basename(settings.checkpoint)}`. Drop a video or '
            'record one with the webcam, then press **Analyse**.')
        with gr.Row():
            video = gr.Video(
                sources=['upload', 'webcam'], label='video')
            annotated = gr.Video(label='every face, its id and top class')
        run = gr.Button('Analyse', variant='primary')
        plot = gr.Image(label='timeline of each face', type='filepath',
                        elem_id='timeline')
        rows = gr.Dataframe(headers=COLUMNS, label='windows',
                            elem_id='windows')
        csv_file = gr.File(label='predictions.csv')
        run.click(
            analyser(cfg, model, settings),
            inputs=video,
            outputs=[annotated, plot, rows, csv_file],
            api_name='analyse')
    return page


def main() -> None:
    args = parse_args()
    try:
        import gradio  # noqa: F401
    except ImportError:
        raise SystemExit("The web page needs Gradio: pip install -e "
                         "'.[web,faces]'")
    cfg = load_config(args.config, args.cfg_options)
    model = init_recognizer(
        cfg,
        None if args.checkpoint == NO_CHECKPOINT else args.checkpoint,
        device=args.device)
    build_page(cfg, model, args).queue().launch(
        server_name=args.host, server_port=args.port, share=args.share)


if __name__ == '__main__':
    main()
