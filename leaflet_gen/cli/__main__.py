"""Allow ``python -m leaflet_gen.cli``."""

from leaflet_gen.cli import main

main()
