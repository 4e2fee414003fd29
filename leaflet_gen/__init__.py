"""leaflet-gen: branded, print-ready Dutch patient leaflets from reviewed YAML content.

Data flows one way: load -> validate -> compose -> render -> post-process -> preflight -> write.
"""

__version__ = "0.1.0"

