import torch
from mmaction.structures import ActionDataSample

from a3lign_mmaction.deployment import ClipClassifier


def test_scores_as_the_recognizer_predicts(build_tiny_model):
    torch.manual_seed(0)
    model = build_tiny_model(neck=dict(video_path='encoder')).eval()
    frames = torch.randint(0, 256, (2, 16, 3, 32, 32), dtype=torch.uint8)
    classifier = ClipClassifier(model, [f'c{i}' for i in range(7)])
    with torch.no_grad():
        probabilities = classifier(frames.float())
        predicted = model.test_step(
            dict(
                inputs=[clip.transpose(0, 1)[None] for clip in frames],
                data_samples=[ActionDataSample() for _ in frames]))
    expected = torch.stack([p.pred_score for p in predicted])
    torch.testing.assert_close(probabilities, expected, rtol=0, atol=1e-6)
    # The text side is a constant of the classifier, not computed per call.
    assert classifier.window.class_embeddings.shape == (7, 64)
    assert not any(p.requires_grad for p in classifier.buffers())
