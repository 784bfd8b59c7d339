import csv
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log

__all__ = ['UARWARMetric']


@METRICS.register_module()
class UARWARMetric(BaseMetric):
    """UAR and WAR, the metrics of dynamic facial expression recognition,
    with macro and weighted F1.

    UAR (unweighted average recall) is the mean of the per-class recalls
    over the classes that occur in the labels; WAR (weighted average
    recall) is the accuracy. ``F1_macro`` averages the per-class F1 over
    the classes that occur in the labels or the predictions,
    ``F1_weighted`` weights it by the labels' counts (both as
    scikit-learn's ``f1_score``). All in percent. The per-class recalls are
    returned too (``recall/<class>``) and logged as a table with the class
    names; the confusion matrix (rows: labels, columns: predictions) is
    written as ``confusion_matrix.csv`` and, unless turned off, as a heat
    map ``confusion_matrix.png``. With ``save_predictions``, every clip's
    label, predicted class and class probabilities go to
    ``predictions.csv``, one row per clip in the dataset's order.

    Args:
        out_dir (str, optional): Folder for the confusion matrix and the
            predictions. Defaults to None: the folder of the current run's
            log file in the work dir (where ``tools/test.py`` and
            ``tools/train.py`` log), or nowhere if there is no log file.
        plot_confusion_matrix (bool): Draw ``confusion_matrix.png`` too.
            Drawing takes about 0.2 s, so configs turn it off for the
            validation after every epoch. Defaults to True.
        save_predictions (bool): Write ``predictions.csv``. The clip is
            named by the ``frame_dir`` or ``filename`` its data sample
            carries (``PackActionInputs``' ``meta_keys``), else by its
            index. Defaults to False.
        collect_device (str): See :class:`BaseMetric`. Defaults to 'cpu'.
        prefix (str, optional): See :class:`BaseMetric`. Defaults to None.
    """

    default_prefix = None

    def __init__(self,
                 out_dir: Optional[str] = None,
                 plot_confusion_matrix: bool = True,
                 save_predictions: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.out_dir = out_dir
        self.plot_confusion_matrix = plot_confusion_matrix
        self.save_predictions = save_predictions

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep the label and the predicted label of each sample, and with
        ``save_predictions`` its clip and probabilities."""
        if not data_samples:
            return
        # One copy to the host per batch, not one per sample (on a GPU,
        # each is a sync).
        labels = torch.cat([s['gt_label'].view(-1) for s in data_samples])
        scores = torch.stack([s['pred_score'] for s in data_samples])
        preds = scores.argmax(1)
        if not self.save_predictions:
            self.results.extend(zip(labels.tolist(), preds.tolist()))
            return
        clips = [s.get('frame_dir', s.get('filename')) for s in data_samples]
        self.results.extend(
            zip(labels.tolist(), preds.tolist(), clips,
                scores.float().tolist()))

    def compute_metrics(self, results: List[tuple]) -> Dict[str, float]:
        """Compute UAR, WAR, F1 and per-class recall; write the matrix and
        the predictions."""
        classes = list(self.dataset_meta['classes']) if self.dataset_meta \
            else [str(i) for i in range(1 + max(max(r[:2]) for r in results))]
        labels, preds = np.array([r[:2] for r in results]).T
        matrix = np.zeros((len(classes), len(classes)), np.int64)
        np.add.at(matrix, (labels, preds), 1)
        support = matrix.sum(1)
        present = support > 0
        recall = np.divide(
            matrix.diagonal(), support, out=np.zeros(len(classes)),
            where=present)
        metrics = dict(
            UAR=100 * recall[present].mean(),
            WAR=100 * matrix.diagonal().sum() / matrix.sum(),
            **self.f1_scores(matrix))
        for name, value, count in zip(classes, recall, support):
            if count:
                metrics[f'recall/{name}'] = 100 * value
        self._log_table(classes, recall, support, metrics)
        out_dir = self.out_dir or self._run_dir()
        if out_dir:
            self.write_confusion_matrix(matrix, classes, out_dir,
                                        self.plot_confusion_matrix)
            if self.save_predictions:
                self.write_predictions(results, classes, out_dir)
        return metrics

    @staticmethod
    def f1_scores(matrix: np.ndarray) -> Dict[str, float]:
        """Macro and weighted F1 in percent, from a confusion matrix (rows:
        labels, columns: predictions), as scikit-learn's ``f1_score``: the
        macro mean is over the classes in the labels or the predictions, a
        class with no true positive scores 0."""
        true_positives = matrix.diagonal()
        support, predicted = matrix.sum(1), matrix.sum(0)
        denominator = support + predicted
        f1 = np.divide(2 * true_positives, denominator,
                       out=np.zeros(len(matrix)), where=denominator > 0)
        return dict(
            F1_macro=100 * f1[denominator > 0].mean(),
            F1_weighted=100 * (f1 * support).sum() / support.sum())

    @staticmethod
    def write_predictions(results: List[tuple], classes: Sequence[str],
                          out_dir: str) -> None:
        """Write ``predictions.csv``: clip, label, prediction (class names)
        and the probability of each class."""
        os.makedirs(out_dir, exist_ok=True)
        with open(osp.join(out_dir, 'predictions.csv'), 'w',
                  newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['clip', 'label', 'prediction', *classes])
            for index, (label, pred, clip, scores) in enumerate(results):
                writer.writerow([
                    index if clip is None else clip, classes[label],
                    classes[pred], *(f'{p:.6f}' for p in scores)
                ])

    @staticmethod
    def _run_dir() -> Optional[str]:
        log_file = MMLogger.get_current_instance().log_file
        return osp.dirname(log_file) if log_file else None

    @staticmethod
    def _log_table(classes, recall, support, metrics) -> None:
        width = max(len(name) for name in classes + ['class'])
        lines = [f'{"class":<{width}}  recall (%)  clips']
        for name, value, count in zip(classes, recall, support):
            shown = f'{100 * value:10.2f}' if count else f'{"-":>10}'
            lines.append(f'{name:<{width}}  {shown}  {count:5d}')
        lines.append(f'UAR {metrics["UAR"]:.2f}  WAR {metrics["WAR"]:.2f}  '
                     f'F1 macro {metrics["F1_macro"]:.2f}  weighted '
                     f'{metrics["F1_weighted"]:.2f}')
        print_log('Per-class recall:\n' + '\n'.join(lines), logger='current')

    @staticmethod
    def write_confusion_matrix(matrix: np.ndarray, classes: Sequence[str],
                               out_dir: str,
                               plot: bool = True) -> None:
        """Write ``confusion_matrix.csv`` and ``confusion_matrix.png``.

        Args:
            matrix (np.ndarray): Counts, rows labels, columns predictions.
            classes (sequence[str]): Class names.
            out_dir (str): Folder to write to.
            plot (bool): Draw the PNG too. Defaults to True.
        """
        os.makedirs(out_dir, exist_ok=True)
        with open(osp.join(out_dir, 'confusion_matrix.csv'), 'w',
                  newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['label \\ prediction', *classes])
            for name, row in zip(classes, matrix):
                writer.writerow([name, *row.tolist()])
        if not plot:
            return
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        rows = matrix.sum(1, keepdims=True)
        shares = np.divide(matrix, rows, out=np.zeros(matrix.shape),
                           where=rows > 0)
        size = 1.5 + 0.6 * len(classes)
        figure, axes = plt.subplots(figsize=(size + 1.5, size))
        image = axes.imshow(shares, cmap='Blues', vmin=0, vmax=1)
        axes.set_xticks(range(len(classes)), classes, rotation=45,
                        ha='right')
        axes.set_yticks(range(len(classes)), classes)
        axes.set_xlabel('prediction')
        axes.set_ylabel('label')
        for (i, j), count in np.ndenumerate(matrix):
            axes.text(j, i, str(count), ha='center', va='center',
                      color='white' if shares[i, j] > 0.5 else 'black',
                      fontsize=8)
        figure.colorbar(image, ax=axes, label='share of the label\'s clips')
        axes.set_title('Confusion matrix')
        figure.tight_layout()
        figure.savefig(osp.join(out_dir, 'confusion_matrix.png'), dpi=100)
        plt.close(figure)
