"""Makes golden.json: Llama 3 token ids of fixed texts, from OpenAI's tiktoken reading Meta's
tokenizer.model with Meta's pattern (as llama_models/llama3/tokenizer.py builds it, without its
splitting of runs longer than 25,000 characters), special-token text encoded as ordinary text.

golden.json was made on 2026-12-06 with tiktoken 0.14.0 from the tokenizer.model of
llama-models 0.3.0 (the file make fetches). Run once, by hand, from the repository root:
  python3 -m venv .cache/llama3-ref-venv
  .cache/llama3-ref-venv/bin/pip install tiktoken
  .cache/llama3-ref-venv/bin/python backend/llama3/testdata/golden.py \
      .cache/models/llama3/tokenizer.model > backend/llama3/testdata/golden.json
"""
import base64
import json
import random
import sys

import tiktoken

PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"

rng = random.Random(20261206)
ALPHABET = ("ab c\n\t  '!.,7349éßЖ中文字🐉\r\u00a0\u3000\u0301s'tLLrevemd-_()"
            "ſK\u212a٠١³½Ⅻ\u0308\u200b\u200d\u00ad\u1680\u2028\u202f\u0085\x0b\x0c\x1c\x1d✓€")
RANDOM = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 60))) for _ in range(60)]

TEXTS = [
    "Who rules the mining town of Ashfall?",
    "The bronze bell is rung three times when the mountain shakes.",
    "I'm sure you'll find he's gone; we'd've known. They're here, we've won.",
    "I'M SURE YOU'LL FIND HE'S GONE; WE'D KNOW. THEY'RE HERE. 'S 'T 'Re 'vE 'lL",
    "don'tstop 'sword 'x ''s 'ſ and 'ſtar",
    "it'ſ x'ſtar Kelvin'K IT'S it'K",
    "Numbers 3.14159, 1,000,000 and 2026-12-06T01:00:00Z; 12345678901 ١٢٣٤٥ ½ Ⅻ ²³",
    "  leading and trailing whitespace\tand\ttabs\nand\r\nnewlines  ",
    "a \n\n  b\n\n\n   \n c   ",
    "   ",
    " ",
    "\n",
    "x\u00a0\u00a0y\u3000\u3000z\u2028w",
    "Café crème, naïve façade, jalapeño and Ångström; cafe\u0301 decomposed.",
    "北京的冬天很冷。The capital is cold in winter. 日本語のテキストと한국어 텍스트도 섞여 있습니다.",
    "Emoji 🐉 and 👩‍👩‍👧 symbols: $100 + 5% = ^_^ | <tag> `code` ~tilde~",
    "Punctuation!!! (nested [brackets] {braces}) — em dash… «guillemets» ¿qué?\n\n...\r\n",
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
    "Κάποιο ελληνικό κείμενο με τόνους, и немного русского текста. مرحبا بالعالم עברית",
    "def f(x):\n    return x ** 2  # squared\n\n\tif x != 0:\n\t\tpass\n",
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "x" * 300,
    "ab" * 200,
    "=" * 120 + "\n" + "-" * 77,
    "中文字" * 400,
    "🐉" * 50,
    "Control\u0000chars\u0007and\u200bzero\u00adwidth and \ufffd replacement.",
    "The Gray Hoods smuggle salt through the hot springs under Harrow Keep.",
    "a",
    "",
] + RANDOM


def main():
    ranks = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                tok, rank = line.split()
                ranks[base64.b64decode(tok)] = int(rank)
    enc = tiktoken.Encoding(name="llama3", pat_str=PATTERN, mergeable_ranks=ranks, special_tokens={})
    cases = [{"text": t, "ids": enc.encode_ordinary(t)} for t in TEXTS]
    roles = {r: enc.encode_ordinary(r) for r in ["system", "user", "assistant", "\n\n"]}
    out = sys.stdout
    out.write('{"tiktoken": %s,\n "roles": %s,\n "cases": [\n' % (json.dumps(tiktoken.__version__), json.dumps(roles)))
    out.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
    out.write("\n ]}\n")


main()
