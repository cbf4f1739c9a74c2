"""The app's two icons: a headset glyph, drawn here and written and read with Pillow.

Teams wants a colour icon of 192x192 pixels and an outline icon of 32x32 pixels that is white on a
transparent background. The committed PNGs were made by this module:

    python -m manifests.icons          # rewrites manifests/color.png and manifests/outline.png

`read_png` / `check_color_icon` / `check_outline_icon` are what the manifest validator uses to check
icons the JSON schema cannot see (size, transparency, colour).
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

COLOR_SIZE = 192
OUTLINE_SIZE = 32
# Background of the colour icon; the manifest's accentColor (manifest.template.json) is the same.
ACCENT = (0x1E, 0x5A, 0xA8)


# --- PNG reading and writing ------------------------------------------------------------------

@dataclass(frozen=True)
class Png:
    width: int
    height: int
    pixels: list[tuple[int, int, int, int]]  # RGBA, row by row
    has_alpha: bool  # the file can express transparency (alpha channel or tRNS)


class PngError(ValueError):
    pass


def write_png(width: int, height: int, rgba: list[tuple[int, int, int, int]]) -> bytes:
    """Encode 8-bit RGBA pixels (row by row) as a PNG."""
    if len(rgba) != width * height:
        raise ValueError("pixel count does not match the size")
    image = Image.frombytes("RGBA", (width, height), bytes(channel for pixel in rgba for channel in pixel))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError):
        raise PngError("not a PNG file") from None
    if image.format != "PNG":
        raise PngError("not a PNG file")
    return image


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's header, without decoding the image."""
    return _open(data).size


def read_png(data: bytes) -> Png:
    """Decode a PNG (any colour type, depth, filter or interlacing Pillow reads) to RGBA pixels."""
    image = _open(data)
    try:
        image.load()
    except (OSError, ValueError, SyntaxError) as error:  # Pillow's words for a corrupt image
        raise PngError(f"corrupt image data: {error}") from None
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    raw = image.convert("RGBA").tobytes()
    pixels = [tuple(raw[i:i + 4]) for i in range(0, len(raw), 4)]
    return Png(image.width, image.height, pixels, has_alpha=has_alpha)


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
