"""bench/tensor_work.py - the tensor workloads L1-L4 of bench/tensor.sh.

  python3 tensor_work.py data DIR        writes each workload's inputs as
                                         DIR/NAME/INPUT.npy and its
                                         program as DIR/NAME/prog.nb
  python3 tensor_work.py check DIR NAME  prints the value and the sum of
                                         every gradient, by NumPy
  python3 tensor_work.py process DIR NAME OUT
                                         one whole run by PyTorch, as a
                                         user's script would: load the
                                         inputs, forward, backward, save
                                         every gradient to OUT/dNAME.npy
  python3 tensor_work.py time DIR NAME RUNS
                                         median seconds of forward +
                                         backward: NumPy written by hand
                                         (the seeds' way: dW = dD.dot(X.T))
                                         and PyTorch float64 autograd
                                         ("-" when torch is missing)

The workloads (float64 throughout):
  L1  one dense layer  sum(relu(X @ W + b) * G), X 256x784, W 784x512
  L2  a two-layer MLP with softmax cross-entropy over a batch of 1024
  L3  sum(sigmoid(x) * tanh(x)) over 10^7 elements
  L4  an embedding gather-and-sum, table 50000x128, 4096 ids
"""
import os
import sys
import time

import numpy as np

PROGRAMS = {
    'L1': 'sum(relu(X @ W + b) * G)',
    'L2': 'H = relu(X @ W1 + b1)\nS = H @ W2 + b2\n'
          'L = -sum(log_softmax(S) * Y) / 1024',
    'L3': 'sum(sigmoid(x) * tanh(x))',
    'L4': 'sum(E[ids] * G)',
}


def inputs(name, rng):
    if name == 'L1':
        return {'X': rng.standard_normal((256, 784)),
                'W': rng.standard_normal((784, 512)) * 0.05,
                'b': rng.standard_normal(512) * 0.1,
                'G': rng.standard_normal((256, 512))}
    if name == 'L2':
        y = rng.integers(0, 10, 1024)
        return {'X': rng.standard_normal((1024, 784)),
                'W1': rng.standard_normal((784, 256)) * 0.05,
                'b1': np.zeros(256),
                'W2': rng.standard_normal((256, 10)) * 0.05,
                'b2': np.zeros(10),
                'Y': np.eye(10)[y]}
    if name == 'L3':
        return {'x': rng.standard_normal(10 ** 7)}
    if name == 'L4':
        return {'E': rng.standard_normal((50000, 128)),
                'ids': rng.integers(0, 50000, 4096).astype(np.float64),
                'G': rng.standard_normal((4096, 128))}
    raise KeyError(name)


def sigmoid(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))),
                    np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))


def by_hand(name, v):
    """The value and every input's gradient, written as the seeds do."""
    if name == 'L1':
        z = v['X'].dot(v['W']) + v['b']
        h = np.maximum(z, 0)
        f = np.sum(h * v['G'])
        dh = v['G']
        dz = dh * (z > 0)
        return f, {'X': dz.dot(v['W'].T), 'W': v['X'].T.dot(dz),
                   'b': dz.sum(axis=0), 'G': h}
    if name == 'L2':
        z1 = v['X'].dot(v['W1']) + v['b1']
        h = np.maximum(z1, 0)
        s = h.dot(v['W2']) + v['b2']
        m = s.max(axis=1, keepdims=True)
        ls = s - m - np.log(np.exp(s - m).sum(axis=1, keepdims=True))
        f = -np.sum(ls * v['Y']) / 1024
        dls = -v['Y'] / 1024
        ds = dls - np.exp(ls) * dls.sum(axis=1, keepdims=True)
        dh = ds.dot(v['W2'].T)
        dz1 = dh * (z1 > 0)
        return f, {'X': dz1.dot(v['W1'].T), 'W1': v['X'].T.dot(dz1),
                   'b1': dz1.sum(axis=0), 'W2': h.T.dot(ds),
                   'b2': ds.sum(axis=0), 'Y': -ls / 1024}
    if name == 'L3':
        x = v['x']
        s, t = sigmoid(x), np.tanh(x)
        return np.sum(s * t), {'x': s * (1 - s) * t + s * (1 - t * t)}
    if name == 'L4':
        ids = v['ids'].astype(np.int64)
        f = np.sum(v['E'][ids] * v['G'])
        dE = np.zeros_like(v['E'])
        np.add.at(dE, ids, v['G'])
        return f, {'E': dE, 'ids': np.zeros_like(v['ids']),
                   'G': v['E'][ids]}
    raise KeyError(name)


def by_torch(torch, name, t):
    if name == 'L1':
        return (torch.relu(t['X'] @ t['W'] + t['b']) * t['G']).sum()
    if name == 'L2':
        h = torch.relu(t['X'] @ t['W1'] + t['b1'])
        s = h @ t['W2'] + t['b2']
        return -(torch.log_softmax(s, dim=1) * t['Y']).sum() / 1024
    if name == 'L3':
        return (torch.sigmoid(t['x']) * torch.tanh(t['x'])).sum()
    if name == 'L4':
        return (t['E'][t['ids'].long()] * t['G']).sum()
    raise KeyError(name)


def load(d, name):
    v = {}
    for f in sorted(os.listdir(os.path.join(d, name))):
        if f.endswith('.npy'):
            v[f[:-4]] = np.load(os.path.join(d, name, f))
    return v


def median_time(fn, runs):
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2]


def main():
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == 'data':
        rng = np.random.default_rng(7)
        for name, prog in PROGRAMS.items():
            os.makedirs(os.path.join(d, name), exist_ok=True)
            for k, a in inputs(name, rng).items():
                np.save(os.path.join(d, name, k + '.npy'), a)
            with open(os.path.join(d, name, 'prog.nb'), 'w') as f:
                f.write(prog + '\n')
        return
    name = sys.argv[3]
    v = load(d, name)
    if cmd == 'check':
        f, g = by_hand(name, v)
        print('%.17g' % f)
        for k in sorted(g):
            print(k, '%.17g' % np.sum(g[k]))
        return
    if cmd == 'process':
        import torch
        t = {k: torch.from_numpy(a).requires_grad_(k != 'ids')
             for k, a in v.items()}
        by_torch(torch, name, t).backward()
        for k, a in t.items():
            if a.grad is not None:
                np.save(os.path.join(sys.argv[4], 'd' + k + '.npy'),
                        a.grad.numpy())
        return
    runs = int(sys.argv[4])
    tn = median_time(lambda: by_hand(name, v), runs)
    try:
        import torch
    except ImportError:
        print('%.6f -' % tn)
        return
    torch.set_num_threads(os.cpu_count() or 1)

    def step():
        t = {k: torch.from_numpy(a).requires_grad_(k != 'ids')
             for k, a in v.items()}
        by_torch(torch, name, t).backward()
    print('%.6f %.6f' % (tn, median_time(step, runs)))


if __name__ == '__main__':
    main()
