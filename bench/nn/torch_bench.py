#!/usr/bin/python3
"""PyTorch twins of the nn benchmark networks, timed on request (benchmark-only: nothing in the product
uses Python, and CI never runs this). bench/nn/run.ts starts it once with `--torch` and talks JSON lines
over stdin/stdout, so ours and torch's runs alternate in one session:

  {"op": "setup", "key": "cnn", "kind": "cnn4", "opts": {...}, "batch": 32, "channelsLast": true}
  {"op": "train", "key": "cnn", "reps": 5}      -> {"ms": [...]}   (forward, loss, backward, Adam step)
  {"op": "forward", "key": "cnn", "reps": 5}    -> {"ms": [...]}   (no_grad inference)
  {"op": "quit"}

Same shapes, layers, losses and optimiser (Adam, lr 1e-3) as src/nn/zoo; Debian's python3-torch (1.13,
oneDNN convs, OpenBLAS matmuls) with 2 threads.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

THREADS = int(__import__("os").environ.get("TORCH_THREADS", "2"))
torch.set_num_threads(THREADS)
torch.manual_seed(1)


class Cnn4(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.o = o
        convs = []
        c = o["channels"]
        s = o["size"]
        for f in o["filters"]:
            if o["downsample"] == "stride":
                convs.append(nn.Conv2d(c, f, 3, stride=2, padding=1))
                s = (s + 2 - 3) // 2 + 1
            else:
                convs.append(nn.Conv2d(c, f, 3, padding=1))
                s //= 2
            c = f
        self.convs = nn.ModuleList(convs)
        self.fc = nn.Linear(c * s * s, o["hidden"])
        self.out = nn.Linear(o["hidden"], o["classes"])

    def forward(self, x):
        h = x
        for conv in self.convs:
            h = F.relu(conv(h))
            if self.o["downsample"] == "max":
                h = F.max_pool2d(h, 2)
        return self.out(F.relu(self.fc(torch.flatten(h, 1))))


def cnn_setup(o, n, channels_last):
    model = Cnn4(o)
    x = (torch.rand(n, o["channels"], o["size"], o["size"]) < 0.3).float()
    y = torch.randint(0, o["classes"], (n,))
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    return model, (lambda: F.cross_entropy(model(x), y)), (lambda: model(x))


class StringPolicy(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.o = o
        feat = o["slots"] * o["charEmbed"] + o["maskRows"]
        self.char = nn.Embedding(o["vocab"], o["charEmbed"])
        self.conv = nn.Conv1d(feat, o["conv"], o["kernel"], padding=(o["kernel"] - 1) // 2)
        w = o["positions"] * o["conv"]
        dense = []
        for _ in range(o["denseLayers"]):
            dense.append(nn.Linear(w, o["growth"]))
            w += o["growth"]
        self.dense = nn.ModuleList(dense)
        self.last = nn.Embedding(o["actions"] + 1, o["actionEmbed"])
        self.policy = nn.Linear(w + o["actionEmbed"], o["actions"])

    def forward(self, chars, masks, last):
        o = self.o
        n = chars.shape[0]
        E, S, P, M = o["examples"], o["slots"], o["positions"], o["maskRows"]
        emb = self.char(chars)  # [n, E, S, P, d]
        per_pos = emb.permute(0, 1, 3, 2, 4).reshape(n * E, P, S * o["charEmbed"])
        mask_pos = masks.permute(0, 1, 3, 2).reshape(n * E, P, M)
        feats = torch.cat([per_pos, mask_pos], 2).transpose(1, 2)  # [nE, features, P]
        h = torch.flatten(F.relu(self.conv(feats)), 1)
        for lin in self.dense:
            h = torch.cat([h, F.relu(lin(h))], 1)
        pooled = h.reshape(n, E, -1).max(1).values
        return self.policy(torch.cat([pooled, self.last(last)], 1))


def string_setup(o, n):
    model = StringPolicy(o)
    E, S, P, M = o["examples"], o["slots"], o["positions"], o["maskRows"]
    chars = torch.randint(0, o["vocab"], (n, E, S, P))
    masks = (torch.rand(n, E, M, P) < 0.2).float()
    last = torch.randint(0, o["actions"] + 1, (n,))
    action = torch.randint(0, o["actions"], (n,))
    legal = torch.ones(n, o["actions"])

    def loss():
        logits = model(chars, masks, last)
        z = torch.where(legal > 0.5, logits, torch.full_like(logits, -1e9))
        return F.cross_entropy(z, action)

    return model, loss, (lambda: model(chars, masks, last))


class Seq2Seq(nn.Module):
    """The LSTM encoder-decoder with attention of src/nn/zoo/seq2seq.ts (same equations)."""

    def __init__(self, o):
        super().__init__()
        self.o = o
        E, H = o["embed"], o["hidden"]
        self.io_emb = nn.Embedding(o["ioVocab"], E)
        self.prog_emb = nn.Embedding(o["progVocab"], E)
        self.enc_in = nn.LSTMCell(E, H)
        self.enc_out = nn.LSTMCell(E + H, H)
        self.dec = nn.LSTMCell(E + 2 * H, H)
        self.att_in = nn.Linear(H, H, bias=False)
        self.att_out = nn.Linear(H, H, bias=False)
        self.att_dec_in = nn.Linear(H, H, bias=False)
        self.att_dec_out = nn.Linear(H, H, bias=False)
        self.proj = nn.Linear(H, H)
        self.logits = nn.Linear(H, o["progVocab"])

    @staticmethod
    def attend(q, keys, w):
        # q [R, H], keys [R, T, H]: dot-product attention with a learned query map.
        s = torch.bmm(keys, w(q).unsqueeze(2)).squeeze(2) / math.sqrt(q.shape[1])
        return torch.bmm(F.softmax(s, 1).unsqueeze(1), keys).squeeze(1)

    def run_lstm(self, cell, xs, h, c, ctx=None):
        outs = []
        for t in range(xs.shape[1]):
            x = xs[:, t]
            if ctx is not None:
                keys, w = ctx
                x = torch.cat([x, self.attend(h, keys, w)], 1)
            h, c = cell(x, (h, c))
            outs.append(h)
        return torch.stack(outs, 1), h, c

    def forward(self, inp, out, prog_in):
        o = self.o
        n, K = inp.shape[0], o["examples"]
        R = n * K
        H = o["hidden"]
        z = torch.zeros(R, H)
        ie = self.io_emb(inp.reshape(R, -1))
        oe = self.io_emb(out.reshape(R, -1))
        enc_i, h, c = self.run_lstm(self.enc_in, ie, z, z)
        enc_o, h, c = self.run_lstm(self.enc_out, oe, h, c, (enc_i, self.att_in))
        pe = self.prog_emb(prog_in).unsqueeze(1).expand(n, K, -1, -1).reshape(R, prog_in.shape[1], -1)
        outs = []
        for t in range(pe.shape[1]):
            a = self.attend(h, enc_i, self.att_dec_in)
            b = self.attend(h, enc_o, self.att_dec_out)
            h, c = self.dec(torch.cat([pe[:, t], a, b], 1), (h, c))
            outs.append(h)
        d = torch.stack(outs, 1)  # [R, T, H]
        pooled = torch.tanh(self.proj(d)).reshape(n, K, pe.shape[1], H).max(1).values
        return self.logits(pooled)  # [n, T, V]


def seq2seq_setup(o, n):
    model = Seq2Seq(o)
    K = o["examples"]
    inp = torch.randint(0, o["ioVocab"], (n, K, o["ioLen"]))
    out = torch.randint(0, o["ioVocab"], (n, K, o["ioLen"]))
    prog = torch.randint(0, o["progVocab"], (n, o["progLen"] + 1))

    def loss():
        logits = model(inp, out, prog[:, :-1])
        return F.cross_entropy(logits.reshape(-1, o["progVocab"]), prog[:, 1:].reshape(-1))

    return model, loss, (lambda: model(inp, out, prog[:, :-1]))


models = {}


def timed(f, reps):
    """Wall ms and process CPU ms (all threads) of each of `reps` calls."""
    ms, cpu = [], []
    for _ in range(reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        f()
        ms.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return ms, cpu


def main():
    for line in sys.stdin:
        req = json.loads(line)
        op = req["op"]
        if op == "quit":
            break
        if op == "setup":
            kind, o, n = req["kind"], req["opts"], req["batch"]
            if kind == "cnn4":
                model, loss, fwd = cnn_setup(o, n, req.get("channelsLast", False))
            elif kind == "string":
                model, loss, fwd = string_setup(o, n)
            elif kind == "seq2seq":
                model, loss, fwd = seq2seq_setup(o, n)
            else:
                raise ValueError(kind)
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)

            def step(model=model, loss=loss, opt=opt):
                opt.zero_grad(set_to_none=True)
                l = loss()
                l.backward()
                opt.step()
                return float(l)

            def infer(fwd=fwd):
                with torch.no_grad():
                    fwd()

            models[req["key"]] = {"train": step, "forward": infer}
            params = sum(p.numel() for p in model.parameters())
            reply = {"ok": True, "params": params}
        else:
            f = models[req["key"]][op]
            for _ in range(req.get("warm", 0)):
                f()
            ms, cpu = timed(f, req["reps"])
            reply = {"ms": ms, "cpuMs": cpu}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
