#!/usr/bin/env python3
"""Writes the PNG card fixtures, independently of the Go code under test.

Run from this directory: python3 mkpng.py
"""
import base64
import json
import struct
import zlib


def chunk(typ, data, crc=None):
    if crc is None:
        crc = zlib.crc32(typ + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + typ + data + struct.pack(">I", crc)


def image(extra=b"", width=4, height=4):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes([40, 90, 160]) * width for _ in range(height))
    head = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    head += chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))
    head += chunk(b"tEXt", b"Software\x00fixture-writer")
    return head + chunk(b"IDAT", zlib.compress(rows)) + extra + chunk(b"IEND", b"")


def text(keyword, payload):
    return chunk(b"tEXt", keyword + b"\x00" + payload)


def b64(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read())


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


mira = b64("cards/mira_v2.json")
write("cards/mira_v2.png", image(text(b"chara", mira)))

bren_v3 = json.load(open("cards/bren_v3.json"))
bren_v2 = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {
    "name": "Bren (old V2 copy)", "description": "", "personality": "", "scenario": "",
    "first_mes": "", "mes_example": "", "creator_notes": "", "system_prompt": "",
    "post_history_instructions": "", "alternate_greetings": [], "tags": [], "creator": "",
    "character_version": "", "extensions": {}}}
write("cards/bren_both.png", image(
    text(b"chara", base64.b64encode(json.dumps(bren_v2).encode()))
    + text(b"ccv3", base64.b64encode(json.dumps(bren_v3).encode()))))

write("bad/no_card.png", image())
full = image(text(b"chara", mira))
cut = full.index(b"chara") + 200
write("bad/truncated.png", full[:cut])
write("bad/oversized_chunk.png", image()[:-12] + struct.pack(">I", 0x7FFFFF00) + b"tEXtchara\x00AAAA")
write("bad/huge_length.png", image()[:-12] + struct.pack(">I", 0xFFFFFFFF) + b"tEXtchara\x00AAAA")
write("bad/bad_base64.png", image(text(b"chara", b"@@@ this is not base64 @@@")))
write("bad/chunk_not_json.png", image(text(b"chara", base64.b64encode(b"hello, world"))))
write("bad/bad_crc.png", image(chunk(b"tEXt", b"chara\x00" + mira, crc=0x12345678)))
write("bad/no_iend.png", image(text(b"chara", mira))[:-12])
