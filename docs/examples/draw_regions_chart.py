"""Draw content/images/2010/pilot-areas-by-region.png from data/pilots.yaml.

The example post's chart: how many of the 13 Total Place pilot areas lie in each English
region, counted from the registry (each area's `region`). Run it again after the registry
changes:  .venv/bin/python docs/examples/draw_regions_chart.py
"""

from collections import Counter
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "content/images/2010/pilot-areas-by-region.png"
WIDTH, ROW, TOP, LEFT = 1600, 70, 150, 560
INK, BAR, PAPER, RULE = (28, 28, 30), (0, 94, 128), (255, 255, 255), (210, 210, 214)


def main() -> None:
    registry = yaml.safe_load((ROOT / "data/pilots.yaml").read_text(encoding="utf-8"))
    areas = [a for a in registry["areas"] if a["programme"] == "total-place"]
    counts = sorted(Counter(a["region"] for a in areas).items(), key=lambda pair: (-pair[1], pair[0]))
    height = TOP + ROW * len(counts) + 60
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    title, label = ImageFont.load_default(size=46), ImageFont.load_default(size=34)
    draw.text((60, 50), f"Total Place pilot areas by region ({len(areas)} in all)", font=title, fill=INK)
    unit = (WIDTH - LEFT - 120) / max(count for _, count in counts)
    for row, (region, count) in enumerate(counts):
        y = TOP + row * ROW
        draw.line((LEFT, y + ROW - 6, WIDTH - 60, y + ROW - 6), fill=RULE, width=2)
        draw.text((LEFT - 24, y + ROW / 2), region, font=label, fill=INK, anchor="rm")
        draw.rectangle((LEFT, y + 12, LEFT + unit * count, y + ROW - 18), fill=BAR)
        draw.text((LEFT + unit * count + 16, y + ROW / 2), str(count), font=label, fill=INK, anchor="lm")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    image.save(OUT, optimize=True)
    print(f"wrote {OUT.relative_to(ROOT)} ({image.width} × {image.height})")


if __name__ == "__main__":
    main()
