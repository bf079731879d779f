"""Small generated photos for the demo content (nothing binary in git)."""

from pathlib import Path

from PIL import Image, ImageDraw


def draw_picture(
    path: Path,
    *,
    sky: tuple[int, int, int],
    ground: tuple[int, int, int],
    size: tuple[int, int] = (1200, 800),
) -> Path:
    """Draw a simple scene (a hall with rows of seats) to ``path`` as JPEG."""
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    horizon = height * 2 // 5
    for y in range(horizon, height):  # floor: a gradient towards the viewer
        t = (y - horizon) / (height - horizon)
        colour = tuple(int(g * (0.6 + 0.4 * t)) for g in ground)
        draw.line([(0, y), (width, y)], fill=colour)
    # The stage and its banner.
    draw.rectangle(
        [width // 5, height // 10, width * 4 // 5, horizon], fill=(150, 20, 25)
    )
    draw.rectangle(
        [width // 4, height // 7, width * 3 // 4, height // 4], fill=(235, 200, 60)
    )
    # Rows of seats, smaller towards the stage.
    for row in range(6):
        y = horizon + 40 + row * (height - horizon) // 7
        seat = 18 + row * 6
        for x in range(seat, width - seat, seat * 2):
            draw.ellipse([x, y, x + seat, y + seat], fill=(40, 40, 60))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=82)
    return path
