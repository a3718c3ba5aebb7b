"""Trains the models experiments/onnx/own-model.mia attacks, in PyTorch, and exports them to ONNX.

Run with a Python that has torch, numpy and scikit-learn (Debian: /usr/bin/python3 with python3-torch and
python3-sklearn):  python3 make_model.py [OUT_DIR]   (default: this folder). It writes
  train_x.npy, train_y.npy   the 200 records the MLP was trained on (its members)
  held_x.npy, held_y.npy     200 records it never saw (its non-members)
  mlp.onnx                   the MLP, softmax output, dynamic batch axis
  records.csv                the same 400 records in one file, shuffled: features f0..f9, the label y, and
                             a membership column "member" (1 or 0) among them (own-model-csv.mia reads it)
  img_x.npy, img_y.npy, cnn.onnx   a small CNN on 8x8 one-channel images (NCHW), logits out
and prints, as JSON, PyTorch's own probabilities on every record, scikit-learn's AUC of the loss attack on them,
the share of each image and its 4 one-pixel shifts the CNN classifies right (label-only with translate(1)),
and which record (of train then held) each line of records.csv holds ("csv_order").
"""
import json
import os
import sys

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
rng = np.random.default_rng(0)


def export(model, example, path):
    model.eval()
    torch.onnx.export(model, example, os.path.join(out, path), input_names=["x"], output_names=["out"],
                      dynamic_axes={"x": {0: "batch"}, "out": {0: "batch"}})


def train(model, x, y, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()


# Tabular: 400 records, 10 features, 3 noisy classes; an MLP trained on the first 200 overfits them.
x = rng.normal(size=(400, 10)).astype(np.float32)
y = ((x[:, 0] + 0.8 * rng.normal(size=400)) > 0).astype(np.int64) + (x[:, 1] > 1).astype(np.int64)
mlp = torch.nn.Sequential(torch.nn.Linear(10, 64), torch.nn.ReLU(), torch.nn.Linear(64, 3))
train(mlp, torch.tensor(x[:200]), torch.tensor(y[:200]), 80)
with_softmax = torch.nn.Sequential(mlp, torch.nn.Softmax(dim=1))
export(with_softmax, torch.tensor(x[:2]), "mlp.onnx")
np.save(os.path.join(out, "train_x.npy"), x[:200])
np.save(os.path.join(out, "train_y.npy"), y[:200])
np.save(os.path.join(out, "held_x.npy"), x[200:])
np.save(os.path.join(out, "held_y.npy"), y[200:])
with torch.no_grad():
    p = with_softmax(torch.tensor(x)).double().numpy()
loss = -np.log(np.maximum(p[np.arange(400), y], 1e-30))
member = np.r_[np.ones(200), np.zeros(200)]

# The same records as one CSV with a membership column (in the middle: it is never a feature), shuffled.
# '%.9g' writes each float32 so that it reads back exactly.
order = np.random.default_rng(1).permutation(400)  # its own generator: the data below stay as they were
with open(os.path.join(out, "records.csv"), "w") as f:
    f.write(",".join([f"f{j}" for j in range(5)] + ["member"] + [f"f{j}" for j in range(5, 10)] + ["y"]) + "\n")
    for i in order:
        cells = ["%.9g" % v for v in x[i]]
        f.write(",".join(cells[:5] + [str(int(member[i]))] + cells[5:] + [str(y[i])]) + "\n")

# Images: 120 one-channel 8x8 images (stored height, width, channels), a CNN trained on the first 60.
img = rng.uniform(size=(120, 8, 8, 1)).astype(np.float32)
img_y = (img[:, :4, :, 0].mean(axis=(1, 2)) > img[:, 4:, :, 0].mean(axis=(1, 2))).astype(np.int64)
cnn = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 2))
chw = torch.tensor(img.transpose(0, 3, 1, 2).copy())
train(cnn, chw[:60], torch.tensor(img_y[:60]), 200)
export(cnn, chw[:2], "cnn.onnx")
np.save(os.path.join(out, "img_x.npy"), img)
np.save(os.path.join(out, "img_y.npy"), img_y)
with torch.no_grad():
    q = torch.softmax(cnn(chw), dim=1).double().numpy()


def shifted(images, dy, dx):
    """Each image moved by (dy, dx) pixels, zero where nothing moved in."""
    out = np.zeros_like(images)
    h, w = images.shape[1:3]
    out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = images[:, max(-dy, 0):h - max(dy, 0),
                                                                           max(-dx, 0):w - max(dx, 0)]
    return out


# Label-only with translate(1): the share of the image and its 4 one-pixel shifts the CNN classifies right.
with torch.no_grad():
    right = [(cnn(torch.tensor(shifted(img, dy, dx).transpose(0, 3, 1, 2).copy())).argmax(1).numpy() == img_y)
             for dy, dx in [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]]
translate_1 = np.mean(right, axis=0)

print(json.dumps({
    "mlp": {"probabilities": p.tolist(), "loss_auc": roc_auc_score(member, -loss)},
    "cnn": {"probabilities": q.tolist(), "translate_1": translate_1.tolist()},
    "csv_order": order.tolist(),
}))
