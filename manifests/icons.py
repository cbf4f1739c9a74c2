"""The app's two icons: a headset glyph, drawn and checked with the standard library only.

Teams wants a colour icon of 192x192 pixels and an outline icon of 32x32 pixels that is white on a
transparent background. The committed PNGs were made by this module:

    python -m manifests.icons          # rewrites manifests/color.png and manifests/outline.png

`read_png` / `check_color_icon` / `check_outline_icon` are what the manifest validator uses to check
icons the JSON schema cannot see (size, transparency, colour).
"""
from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

COLOR_SIZE = 192
OUTLINE_SIZE = 32
# Background of the colour icon; also the manifest's accentColor.
ACCENT = (0x1E, 0x5A, 0xA8)
ACCENT_HEX = "#%02X%02X%02X" % ACCENT

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- PNG reading and writing ------------------------------------------------------------------

@dataclass(frozen=True)
class Png:
    width: int
    height: int
    pixels: list[tuple[int, int, int, int]]  # RGBA, row by row
    has_alpha: bool  # the file can express transparency (alpha channel or tRNS)


class PngError(ValueError):
    pass


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(width: int, height: int, rgba: list[tuple[int, int, int, int]]) -> bytes:
    """Encode 8-bit RGBA pixels (row by row) as a PNG."""
    if len(rgba) != width * height:
        raise ValueError("pixel count does not match the size")
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for px in rgba[y * width:(y + 1) * width]:
            raw.extend(px)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (_PNG_SIGNATURE + _chunk(b"IHDR", ihdr)
            + _chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + _chunk(b"IEND", b""))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, without decoding the image."""
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise PngError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(data: bytes) -> Png:
    """Decode a non-interlaced 8-bit PNG (grey, RGB, palette, grey+alpha, RGBA) to RGBA pixels.

    Enough for app icons; other variants raise PngError saying which, so a validator can report it.
    """
    if not data.startswith(_PNG_SIGNATURE):
        raise PngError("not a PNG file")
    pos, idat, palette, trns = 8, bytearray(), None, None
    header = None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = [tuple(body[i:i + 3]) for i in range(0, len(body), 3)]
        elif kind == b"tRNS":
            trns = bytes(body)
        elif kind == b"IDAT":
            idat.extend(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise PngError("PNG without IHDR")
    width, height, depth, ctype, _comp, _filt, interlace = header
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(ctype)
    if channels is None or depth != 8 or interlace:
        raise PngError(f"unsupported PNG variant (colour type {ctype}, bit depth {depth}, "
                       f"interlace {interlace}); save it as 8-bit RGBA")
    try:
        raw = zlib.decompress(bytes(idat))
    except zlib.error as exc:
        raise PngError(f"corrupt image data: {exc}") from None
    stride = width * channels
    if len(raw) < height * (stride + 1):
        raise PngError("image data shorter than its size says")
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif ftype == 4:
                line[i] = (line[i] + _paeth(a, b, c)) & 0xFF
            elif ftype != 0:
                raise PngError(f"unknown filter type {ftype}")
        rows.append(line)
        prev = line
    pixels: list[tuple[int, int, int, int]] = []
    for line in rows:
        for x in range(width):
            s = line[x * channels:(x + 1) * channels]
            if ctype == 6:
                pixels.append((s[0], s[1], s[2], s[3]))
            elif ctype == 4:
                pixels.append((s[0], s[0], s[0], s[1]))
            elif ctype == 2:
                rgb = (s[0], s[1], s[2])
                opaque = trns is None or len(trns) < 6 or rgb != struct.unpack(">HHH", trns[:6])
                pixels.append((*rgb, 255 if opaque else 0))
            elif ctype == 0:
                opaque = trns is None or len(trns) < 2 or s[0] != struct.unpack(">H", trns[:2])[0]
                pixels.append((s[0], s[0], s[0], 255 if opaque else 0))
            else:  # palette
                if palette is None or s[0] >= len(palette):
                    raise PngError("palette index out of range")
                alpha = trns[s[0]] if trns is not None and s[0] < len(trns) else 255
                pixels.append((*palette[s[0]], alpha))
    return Png(width, height, pixels, has_alpha=ctype in (4, 6) or trns is not None)


# --- checks the manifest schema cannot make -------------------------------------------------------

def check_color_icon(data: bytes, name: str = "color") -> list[str]:
    try:
        w, h = png_size(data)
    except PngError as exc:
        return [f"icons/{name}: {exc}"]
    if (w, h) != (COLOR_SIZE, COLOR_SIZE):
        return [f"icons/{name}: must be {COLOR_SIZE}x{COLOR_SIZE} pixels, is {w}x{h}"]
    return []


def check_outline_icon(data: bytes, name: str = "outline") -> list[str]:
    try:
        png = read_png(data)
    except PngError as exc:
        return [f"icons/{name}: {exc}"]
    errors = []
    if (png.width, png.height) != (OUTLINE_SIZE, OUTLINE_SIZE):
        errors.append(f"icons/{name}: must be {OUTLINE_SIZE}x{OUTLINE_SIZE} pixels, "
                      f"is {png.width}x{png.height}")
    if not png.has_alpha or all(a == 255 for *_rgb, a in png.pixels):
        errors.append(f"icons/{name}: must have a transparent background")
    elif all(a == 0 for *_rgb, a in png.pixels):
        errors.append(f"icons/{name}: is fully transparent (no glyph)")
    off_white = sum(1 for r, g, b, a in png.pixels if a and (r, g, b) != (255, 255, 255))
    if off_white:
        errors.append(f"icons/{name}: must be white on transparent; "
                      f"{off_white} visible pixels are not white")
    return errors


# --- the glyph ------------------------------------------------------------------------------------

def _in_round_rect(x, y, x0, y0, x1, y1, r) -> bool:
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _in_headset(x: float, y: float) -> bool:
    """A headset in the unit square (y grows downwards): headband, two ear cups, microphone boom."""
    # headband: upper half of a ring
    d = math.hypot(x - 0.5, y - 0.56)
    if y <= 0.56 and 0.335 <= d <= 0.43:
        return True
    # ear cups
    if _in_round_rect(x, y, 0.03, 0.46, 0.27, 0.78, 0.08):
        return True
    if _in_round_rect(x, y, 0.73, 0.46, 0.97, 0.78, 0.08):
        return True
    # microphone boom: lower-right quarter ring from the right cup towards the mouth
    d = math.hypot(x - 0.60, y - 0.72)
    if x >= 0.60 and y >= 0.72 and 0.19 <= d <= 0.26:
        return True
    # mouthpiece
    return _in_round_rect(x, y, 0.44, 0.90, 0.66, 0.99, 0.045)


def _coverage(px: int, py: int, size: int, box: tuple[float, float, float, float], ss: int = 4) -> float:
    """Fraction of pixel (px, py) covered by the glyph drawn into box (x0, y0, x1, y1) in pixels."""
    x0, y0, x1, y1 = box
    hits = 0
    for sy in range(ss):
        for sx in range(ss):
            u = (px + (sx + 0.5) / ss - x0) / (x1 - x0)
            v = (py + (sy + 0.5) / ss - y0) / (y1 - y0)
            if 0 <= u <= 1 and 0 <= v <= 1 and _in_headset(u, v):
                hits += 1
    return hits / (ss * ss)


def draw_color() -> bytes:
    size, pad = COLOR_SIZE, 44  # glyph about 104 px in the middle, as Teams' icon guidance shows
    pixels = []
    for y in range(size):
        for x in range(size):
            c = _coverage(x, y, size, (pad, pad, size - pad, size - pad))
            r, g, b = (round(bg + (255 - bg) * c) for bg in ACCENT)
            pixels.append((r, g, b, 255))
    return write_png(size, size, pixels)


def draw_outline() -> bytes:
    size, pad = OUTLINE_SIZE, 2
    pixels = []
    for y in range(size):
        for x in range(size):
            a = round(255 * _coverage(x, y, size, (pad, pad, size - pad, size - pad)))
            pixels.append((255, 255, 255, a) if a else (0, 0, 0, 0))
    return write_png(size, size, pixels)


def main() -> None:
    here = Path(__file__).resolve().parent
    (here / "color.png").write_bytes(draw_color())
    (here / "outline.png").write_bytes(draw_outline())
    print(here / "color.png", here / "outline.png")


if __name__ == "__main__":
    main()
