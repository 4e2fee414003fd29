"""Allow ``python -m leaflet_gen``."""

from leaflet_gen.cli import main

main()
