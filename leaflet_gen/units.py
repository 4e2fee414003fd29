"""Units, once: millimetres (what every YAML file and the variants use), PDF points and CSS pixels.

Every module converts through these constants, so a size means the same everywhere.
"""

MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH  # PDF user space: 72 points per inch
PX_PER_MM = 96 / MM_PER_INCH  # CSS (and WeasyPrint's layout): 96 px per inch
