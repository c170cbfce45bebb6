#!/usr/bin/env python3
"""draw-digits.py: draws the example digits of chapter 08 as PGM pictures.

Each digit is a few pen strokes (polylines through points in a 100x100 box),
drawn with a round pen of soft edge, the way a person draws with a mouse or
a tablet. The ten pictures differ on purpose in everything the preprocessing
must undo: size, margins, off-centre placement, pen width, grey levels,
dark ink on light paper or the reverse, binary (P5) or plain-text (P2)
PGM, 8 or 16 bits. Run it from this folder: python3 draw-digits.py
"""
import math

STROKES = {
    0: [[(50, 8), (30, 14), (20, 35), (20, 62), (30, 85), (50, 92), (70, 85), (80, 62),
         (80, 35), (70, 14), (50, 8)]],
    1: [[(38, 22), (55, 8), (55, 92)]],
    2: [[(22, 28), (32, 12), (52, 8), (70, 14), (76, 30), (68, 48), (45, 68), (20, 92),
         (82, 90)]],
    3: [[(22, 15), (45, 7), (68, 14), (72, 30), (62, 44), (42, 48)],
        [(42, 48), (66, 54), (76, 72), (66, 88), (42, 93), (20, 85)]],
    4: [[(60, 6), (18, 64), (84, 64)], [(64, 36), (64, 94)]],
    5: [[(76, 8), (32, 8), (26, 46), (48, 40), (70, 48), (78, 68), (68, 88), (46, 94),
         (22, 86)]],
    6: [[(68, 8), (42, 22), (26, 48), (22, 72), (32, 90), (52, 94), (70, 84), (74, 64),
         (60, 52), (40, 52), (24, 64)]],
    7: [[(18, 10), (82, 10), (60, 42), (44, 94)]],
    8: [[(50, 48), (28, 38), (26, 20), (40, 8), (60, 8), (72, 20), (68, 38), (50, 48),
         (28, 60), (24, 80), (38, 93), (62, 93), (76, 80), (72, 60), (50, 48)]],
    9: [[(72, 40), (56, 50), (36, 48), (26, 34), (30, 16), (48, 8), (66, 12), (74, 28),
         (72, 40), (66, 70), (58, 94)]],
}

# digit: (width, height, box (x, y, size) of the 100x100 strokes in pixels, pen radius,
#         format, maxval, dark ink on light paper?, paper grey, ink grey)
LAYOUT = {
    0: (120, 160, (15, 30, 90), 7.0, "P5", 255, True, 0.97, 0.05),
    1: (200, 200, (60, 40, 120), 9.0, "P5", 255, True, 1.00, 0.00),
    2: (64, 64, (6, 8, 48), 3.0, "P2", 15, True, 0.93, 0.13),
    3: (300, 240, (160, 60, 150), 11.0, "P5", 255, True, 0.85, 0.20),
    4: (150, 150, (20, 20, 110), 8.0, "P5", 65535, False, 0.02, 0.95),
    5: (90, 120, (10, 15, 75), 6.0, "P2", 255, True, 1.00, 0.10),
    6: (256, 256, (70, 50, 150), 10.0, "P5", 255, False, 0.10, 0.90),
    7: (180, 120, (30, 10, 100), 7.5, "P5", 255, True, 0.90, 0.15),
    8: (100, 100, (10, 8, 84), 6.0, "P5", 255, True, 0.98, 0.02),
    9: (140, 200, (20, 50, 110), 8.5, "P5", 4095, True, 0.95, 0.05),
}


def distance_to_segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def draw(digit):
    width, height, (bx, by, size), radius, fmt, maxval, dark_ink, paper, ink = LAYOUT[digit]
    segments = []
    for stroke in STROKES[digit]:
        points = [(bx + x * size / 100, by + y * size / 100) for x, y in stroke]
        segments += list(zip(points, points[1:]))
    rows = []
    for y in range(height):
        row = []
        for x in range(width):
            d = min(distance_to_segment(x + 0.5, y + 0.5, *a, *b) for a, b in segments)
            cover = max(0.0, min(1.0, radius + 0.5 - d))  # a pen with a soft one-pixel edge
            grey = paper + (ink - paper) * cover
            row.append(round(grey * maxval))
        rows.append(row)
    name = "%d.pgm" % digit
    with open(name, "wb") as out:
        out.write(b"%s\n# digit %d, drawn by draw-digits.py\n%d %d\n%d\n" %
                  (fmt.encode(), digit, width, height, maxval))
        if fmt == "P2":
            for row in rows:
                out.write((" ".join(str(v) for v in row) + "\n").encode())
        else:
            wide = maxval > 255
            for row in rows:
                out.write(b"".join(v.to_bytes(2, "big") if wide else bytes([v]) for v in row))
    return name


for d in range(10):
    print(draw(d))
