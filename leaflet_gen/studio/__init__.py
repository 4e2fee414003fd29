"""The studio: `leaflet-gen serve`, a live preview of every leaflet in the browser."""
