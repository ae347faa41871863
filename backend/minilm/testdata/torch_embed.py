"""Embeds texts with all-MiniLM-L6-v2 in PyTorch, as sentence-transformers does, and times it.

Used by BenchmarkEmbedVsTorch (backend/minilm/bench_test.go) to run PyTorch beside the Go
embedder on the same texts in the same run. Reads one JSON object on stdin:
  {"model": DIR, "texts": [...], "threads": [1, 2], "rounds": N}
and writes one JSON object: per thread count the wall and CPU seconds of embedding all the
texts N times (after one warm-up round), and the first text's vector, so the caller can
check both sides computed the same thing.

The model is the folder make fetches (config.json, model.safetensors, tokenizer.json):
transformers' BertModel in float32, eval mode, no gradients; tokens from `tokenizers`
reading tokenizer.json, cut at 256 as sentence-transformers' max_seq_length says; mean
pooling over the attention mask and L2 normalisation (sentence-transformers' Pooling and
Normalize modules). Texts go through in batches of 32, as the Go library embeds them.
"""
import json
import sys
import time

import torch
from tokenizers import Tokenizer
from transformers import BertModel

BATCH = 32
MAX_LEN = 256


def main():
    req = json.load(sys.stdin)
    model_dir = req["model"]
    tok = Tokenizer.from_file(model_dir + "/tokenizer.json")
    tok.enable_truncation(MAX_LEN)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    model = BertModel.from_pretrained(model_dir, torch_dtype=torch.float32, add_pooling_layer=False)
    model.eval()

    def embed(texts):
        out = []
        for i in range(0, len(texts), BATCH):
            enc = tok.encode_batch(texts[i : i + BATCH])
            ids = torch.tensor([e.ids for e in enc])
            mask = torch.tensor([e.attention_mask for e in enc])
            with torch.inference_mode():
                h = model(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            out.append(torch.nn.functional.normalize(v, p=2, dim=1))
        return torch.cat(out)

    result = {"torch": torch.__version__, "runs": []}
    texts = req["texts"]
    for threads in req["threads"]:
        torch.set_num_threads(threads)
        first = embed(texts)[0]
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for _ in range(req["rounds"]):
            embed(texts)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        result["runs"].append({"threads": threads, "chunks": len(texts) * req["rounds"], "wall_s": wall, "cpu_s": cpu})
    result["first"] = first.tolist()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
