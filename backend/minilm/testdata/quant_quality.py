"""Measures what f16 or int8 weights would cost all-MiniLM-L6-v2's vectors and retrieval.

Run from the repository root with the Python that BenchmarkEmbedVsTorch uses (torch,
transformers, tokenizers):
  .cache/torch-venv/bin/python backend/minilm/testdata/quant_quality.py .cache/models/all-MiniLM-L6-v2

Each weight matrix of the encoder (attention and feed-forward projections; embeddings and
layer norms stay float32) is rounded to float16, or to int8 with one scale per output row
(symmetric, scale = max |w| / 127), and turned back into float32, so the forward pass
computes exactly what a kernel reading those weights would. Printed: the cosine of each
variant's vector to the float32 one over the lore world's documents and questions
(minimum and mean), and vector-only recall@1 and @5 of the right document over the
world's documents (testdata/lore/world, one vector per document) for the three question
sets in testdata/lore.
"""
import glob
import json
import os
import sys

import torch
from tokenizers import Tokenizer
from transformers import BertModel

MAX_LEN = 256


def load(model_dir):
    m = BertModel.from_pretrained(model_dir, torch_dtype=torch.float32, add_pooling_layer=False)
    m.eval()
    return m


def quantize(model, kind):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if not name.startswith("encoder.") or not name.endswith(".weight") or p.dim() != 2:
                continue
            if kind == "f16":
                p.copy_(p.half().float())
            elif kind == "int8":
                scale = p.abs().amax(dim=1, keepdim=True).clamp(min=1e-12) / 127
                p.copy_((p / scale).round().clamp(-127, 127) * scale)
    return model


def embed(model, tok, texts):
    out = []
    for t in texts:
        e = tok.encode(t)
        ids = torch.tensor([e.ids])
        with torch.inference_mode():
            h = model(input_ids=ids, attention_mask=torch.ones_like(ids), token_type_ids=torch.zeros_like(ids)).last_hidden_state[0]
        v = h.mean(0)
        out.append(torch.nn.functional.normalize(v, dim=0))
    return torch.stack(out)


def main():
    model_dir = sys.argv[1]
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.enable_truncation(MAX_LEN)
    paths = sorted(glob.glob("testdata/lore/world/*.md"))
    names = [os.path.basename(p) for p in paths]
    docs = [open(p, encoding="utf-8").read() for p in paths]
    sets = {}
    for s in ("paraphrases", "questions", "fresh"):
        rows = [json.loads(l) for l in open(f"testdata/lore/{s}.jsonl", encoding="utf-8") if l.strip()]
        sets[s] = rows
    questions = [r["question"] for rows in sets.values() for r in rows]
    base = None
    for kind in ("f32", "f16", "int8"):
        model = quantize(load(model_dir), kind)
        dv = embed(model, tok, docs)
        qv = embed(model, tok, questions)
        if base is None:
            base = (dv, qv)
        cos = torch.cat([(dv * base[0]).sum(1), (qv * base[1]).sum(1)])
        line = [f"{kind}: cosine to f32 min {cos.min():.6f} mean {cos.mean():.6f}"]
        i = 0
        for s, rows in sets.items():
            r1 = r5 = 0
            for r in rows:
                order = (dv @ qv[i]).argsort(descending=True).tolist()
                ranked = [names[j] for j in order]
                r1 += ranked[0] == r["doc"]
                r5 += r["doc"] in ranked[:5]
                i += 1
            line.append(f"{s} @1 {r1 / len(rows):.3f} @5 {r5 / len(rows):.3f}")
        print("; ".join(line), flush=True)


if __name__ == "__main__":
    main()
