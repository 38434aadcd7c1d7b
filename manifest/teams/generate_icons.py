#!/usr/bin/env python3
"""Writes color.png (192x192) and outline.png (32x32) for the Teams app package.

Standard library only (no PIL): a warning triangle with an exclamation mark.
color.png: white triangle on the accent colour, opaque RGB.
outline.png: the same shape in white on a fully transparent background, RGBA,
every pixel either transparent or opaque white (Teams' outline icon rule).
Run from anywhere: python3 manifest/teams/generate_icons.py
"""
import os
import struct
import zlib

ACCENT = (0xB0, 0x23, 0x2A)
WHITE = (0xFF, 0xFF, 0xFF)
HERE = os.path.dirname(os.path.abspath(__file__))


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, size, colour_type, rows):
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, colour_type, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def inside_triangle(x, y, top, bottom, left, right):
    """Point-in-isosceles-triangle test (apex at the top centre)."""
    if y < top or y > bottom:
        return False
    half = (right - left) / 2 * (y - top) / (bottom - top)
    centre = (left + right) / 2
    return centre - half <= x <= centre + half


def shape(size, filled):
    """Returns a predicate (x, y) -> True where the white foreground is."""
    s = size / 32.0
    top, bottom, left, right = 3 * s, 28 * s, 2 * s, 30 * s
    stroke = 2.5 * s
    cx = size / 2.0

    def mark(x, y):
        bar = abs(x + 0.5 - cx) <= 1.5 * s and 13.5 * s <= y <= 20.5 * s
        dot = abs(x + 0.5 - cx) <= 1.5 * s and 22.5 * s <= y <= 25.5 * s
        return bar or dot

    def at(x, y):
        px, py = x + 0.5, y + 0.5
        outer = inside_triangle(px, py, top, bottom, left, right)
        if filled:
            return outer and not mark(x, y)
        inner = inside_triangle(px, py, top + 2 * stroke, bottom - stroke, left + 1.8 * stroke, right - 1.8 * stroke)
        return (outer and not inner) or mark(x, y)

    return at


def main():
    size = 192
    fg = shape(size, filled=True)
    rows = [[c for x in range(size) for c in (WHITE if fg(x, y) else ACCENT)] for y in range(size)]
    write_png(os.path.join(HERE, "color.png"), size, 2, rows)

    size = 32
    fg = shape(size, filled=False)
    rows = [[c for x in range(size) for c in ((255, 255, 255, 255) if fg(x, y) else (0, 0, 0, 0))] for y in range(size)]
    write_png(os.path.join(HERE, "outline.png"), size, 6, rows)


if __name__ == "__main__":
    main()
