"""Trains, in PyTorch, the target and the reference models experiments/onnx/own-refs.mia attacks with LiRA.

Run with a Python that has torch and numpy (Debian: /usr/bin/python3 with python3-torch; scipy for the
offline scores):  python3 make_refs.py [OUT_DIR]   (default: this folder). The setup is ML Privacy Meter's:
200 records; the target trains on the first 100 (its members), and each of 8 reference models on a random
half of all 200, every record in exactly 4 of them. It writes
  seen_x.npy, seen_y.npy       the target's 100 members
  unseen_x.npy, unseen_y.npy   the other 100 records
  target.onnx                  the target MLP (logits out, dynamic batch axis)
  refs/ref_0.onnx ... ref_7.onnx   the reference MLPs, trained like the target
  refs/in.npy                  the memberships matrix, bool (8 models x 200 records: seen's, then unseen's)
  pop_x.npy, pop_y.npy         100 population records z of the same distribution, in no model's training set
  refs/in_pop.npy              the memberships matrix over seen's, unseen's and pop's records (8 x 300), for
                               own-refs-rmia.mia: pop's columns are all 0
and prints, as JSON, LiRA's scores (online and offline, per-record variances, as Carlini et al. define them)
and RMIA's (online and offline, a = 0.3, gamma = 2, as Zarifzadeh et al. define them, against pop's records)
computed here with numpy on PyTorch's own logits, one per record in the same order.
"""
import json
import os
import sys

import numpy as np
import torch

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(out, "refs"), exist_ok=True)
torch.manual_seed(0)
rng = np.random.default_rng(1)
N, MODELS = 200, 8

x = rng.normal(size=(N, 10)).astype(np.float32)
y = ((x[:, 0] + 1.0 * rng.normal(size=N)) > 0).astype(np.int64) + (x[:, 1] > 1).astype(np.int64)


def trained(rows):
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    xs, ys = torch.tensor(x[rows]), torch.tensor(y[rows])
    for _ in range(150):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(xs), ys).backward()
        opt.step()
    return model.eval()


def export(model, path):
    torch.onnx.export(model, torch.tensor(x[:2]), os.path.join(out, path), input_names=["x"], output_names=["out"],
                      dynamic_axes={"x": {0: "batch"}, "out": {0: "batch"}})


def phi(model, x=x, y=y):
    """log(p_y / (1 - p_y)) of every record, from the model's logits: z_y - logsumexp of the other logits."""
    N = len(y)
    with torch.no_grad():
        z = model(torch.tensor(x)).double().numpy()
    zy = z[np.arange(N), y]
    others = np.where(np.arange(3)[None, :] == y[:, None], -np.inf, z)
    top = others.max(axis=1)
    return zy - top - np.log(np.exp(others - top[:, None]).sum(axis=1))


target = trained(np.arange(100))
export(target, "target.onnx")
# Each record in exactly half the models (LiRA's and ML Privacy Meter's sampling).
mask = np.zeros((MODELS, N), dtype=bool)
for j in range(N):
    mask[rng.permutation(MODELS)[: MODELS // 2], j] = True
# Population records z: drawn like x from their own generator (the records above stay as they were).
prng = np.random.default_rng(2)
pop_x = prng.normal(size=(100, 10)).astype(np.float32)
pop_y = ((pop_x[:, 0] + 1.0 * prng.normal(size=100)) > 0).astype(np.int64) + (pop_x[:, 1] > 1).astype(np.int64)
all_x, all_y = np.concatenate([x, pop_x]), np.concatenate([y, pop_y])
refs, refs_all = [], []
for m in range(MODELS):
    model = trained(np.flatnonzero(mask[m]))
    export(model, f"refs/ref_{m}.onnx")
    refs.append(phi(model))
    refs_all.append(phi(model, all_x, all_y))
np.save(os.path.join(out, "refs", "in.npy"), mask)
np.save(os.path.join(out, "seen_x.npy"), x[:100])
np.save(os.path.join(out, "seen_y.npy"), y[:100])
np.save(os.path.join(out, "unseen_x.npy"), x[100:])
np.save(os.path.join(out, "unseen_y.npy"), y[100:])
np.save(os.path.join(out, "pop_x.npy"), pop_x)
np.save(os.path.join(out, "pop_y.npy"), pop_y)
mask_all = np.concatenate([mask, np.zeros((MODELS, 100), dtype=bool)], axis=1)
np.save(os.path.join(out, "refs", "in_pop.npy"), mask_all)

# LiRA (Carlini et al. 2022), per-record Gaussians: mean and np.std over the IN and OUT models (+1e-9).
refs = np.array(refs)
t = phi(target)
mu_in = np.array([refs[mask[:, j], j].mean() for j in range(N)])
mu_out = np.array([refs[~mask[:, j], j].mean() for j in range(N)])
sd_in = np.array([refs[mask[:, j], j].std() for j in range(N)]) + 1e-9
sd_out = np.array([refs[~mask[:, j], j].std() for j in range(N)]) + 1e-9


def log_pdf(v, mu, sd):
    return -0.5 * ((v - mu) / sd) ** 2 - np.log(sd) - 0.5 * np.log(2 * np.pi)


result = {"online": (log_pdf(t, mu_in, sd_in) - log_pdf(t, mu_out, sd_out)).tolist()}
try:
    from scipy.special import log_ndtr
    z = (t - mu_out) / sd_out
    result["offline"] = (log_ndtr(z) - log_ndtr(-z)).tolist()
except ImportError:
    pass


# RMIA (Zarifzadeh et al. 2024): p_y = sigmoid(phi). Pr(x) is the mean p_y of the reference models (online all of
# them; offline the OUT ones, then (1 + a)/2 * Pr_OUT + (1 - a)/2); Pr(z) likewise; the score of x is the share of
# population records z with (p_target(x) / Pr(x)) / (p_target(z) / Pr(z)) >= gamma.
def rmia(mode, a=0.3, gamma=2.0):
    p_ref = 1 / (1 + np.exp(-np.array(refs_all)))
    p_t = 1 / (1 + np.exp(-phi(target, all_x, all_y)))
    if mode == "online":
        pr = p_ref.mean(axis=0)
    else:
        out_mean = np.array([p_ref[~mask_all[:, j], j].mean() for j in range(len(all_y))])
        pr = 0.5 * ((1 + a) * out_mean + (1 - a))
    ratio = p_t / pr
    rx, rz = ratio[:N], ratio[N:]
    return [float((rx[i] / rz >= gamma).mean()) for i in range(N)]


result["rmia_online"] = rmia("online")
result["rmia_offline"] = rmia("offline")
print(json.dumps(result))
