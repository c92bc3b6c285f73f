#!/usr/bin/env python3
"""Draws the Soundings app icons (a sonar ping: a dot and two rings) as PNG files.

Standard library only, so it runs anywhere; the PNGs are committed and this script is kept to
regenerate them. Run from anywhere: python3 frontend/tools/make_icons.py

"any" icons are a rounded square on transparency. "maskable" icons fill the square and keep the
motif inside the central safe circle (radius 40% of the size), which platforms never crop.
"""

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "public" / "icons"

BRAND = (0x0B, 0x3D, 0x5C)  # theme_color in the manifest
WHITE = (0xFF, 0xFF, 0xFF)
YELLOW = (0xFF, 0xDD, 0x00)


def coverage(signed_distance):
    """Anti-aliasing: the share of a pixel inside a shape, from its distance to the edge."""
    return min(1.0, max(0.0, 0.5 - signed_distance))


def rounded_square(x, y, size, radius):
    """Signed distance (pixels) to a size x size square with rounded corners."""
    half = size / 2
    qx = abs(x - half) - (half - radius)
    qy = abs(y - half) - (half - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    inside = min(max(qx, qy), 0.0)
    return outside + inside - radius


def ring(x, y, centre, radius, width):
    return abs(math.hypot(x - centre, y - centre) - radius) - width / 2


def disc(x, y, centre, radius):
    return math.hypot(x - centre, y - centre) - radius


# Coverage is rounded to this many steps: edges stay smooth at these sizes, and the few colours
# that leaves fit a palette, which makes each file about half the size of full RGBA.
STEPS = 15


def step(a):
    return round(a * STEPS) / STEPS


def draw(size, maskable):
    # The motif spans 0.36 of the size from the centre; maskable icons shrink it into the
    # safe zone.
    scale = size * (0.8 if maskable else 1.0)
    centre = size / 2
    shapes = [
        (lambda x, y: disc(x, y, centre, 0.07 * scale), WHITE),
        (lambda x, y: ring(x, y, centre, 0.19 * scale, 0.055 * scale), WHITE),
        (lambda x, y: ring(x, y, centre, 0.32 * scale, 0.055 * scale), YELLOW),
    ]
    palette = {}
    rows = []
    for j in range(size):
        row = bytearray([0])  # PNG filter type "none" for this row
        y = j + 0.5
        for i in range(size):
            x = i + 0.5
            alpha = 1.0 if maskable else step(coverage(rounded_square(x, y, size, 0.2 * size)))
            colour = list(BRAND)
            for distance, paint in shapes:
                a = step(coverage(distance(x, y)))
                if a > 0.0:
                    colour = [c * (1 - a) + p * a for c, p in zip(colour, paint)]
            rgba = tuple(round(c) for c in colour) + (round(alpha * 255),)
            row.append(palette.setdefault(rgba, len(palette)))
        rows.append(bytes(row))
    if len(palette) > 256:
        raise SystemExit(f"{len(palette)} colours do not fit a PNG palette")
    return png(size, size, b"".join(rows), list(palette))


def png(width, height, raw_index_rows, palette):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit palette indices
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", b"".join(bytes(c[:3]) for c in palette))
        + chunk(b"tRNS", bytes(c[3] for c in palette))
        + chunk(b"IDAT", zlib.compress(raw_index_rows, 9))
        + chunk(b"IEND", b"")
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        for maskable, name in ((False, "icon"), (True, "maskable")):
            path = OUT / f"{name}-{size}.png"
            path.write_bytes(draw(size, maskable))
            print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
